using WebApiApp;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddSingleton<TodoStore>();
builder.Services.AddHostedService<TodoJanitor>();

var app = builder.Build();

app.UseDefaultFiles();
app.UseStaticFiles();
app.MapGet("/hello", () => "Hello from ASP.NET Core under gwserve!");
app.MapGet("/worker", () => new { pid = Environment.ProcessId });
app.MapControllers();

app.Run();
