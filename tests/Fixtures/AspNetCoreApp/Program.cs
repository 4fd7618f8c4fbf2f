using AspNetCoreApp;

if (Environment.GetEnvironmentVariable("FIXTURE_THROW_AT_STARTUP") == "1")
{
    throw new InvalidOperationException("fixture start-up failure");
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddHostedService<HeartbeatService>();
builder.Services.AddProblemDetails();
builder.Services.AddServerParity();
builder.Services.AddSignalR();

var app = builder.Build();

app.Lifetime.ApplicationStopping.Register(() =>
    app.Logger.LogWarning("ApplicationStopping ran in {Pid}", Environment.ProcessId));

app.UseStaticFiles();
app.MapServerParity();
app.UseWebSockets();

app.MapGet("/", () => "Hello World!");
app.MapGet("/json", () => Results.Json(new { message = "Hello, World!" }));
app.MapGet("/config", (IConfiguration configuration) => configuration["Greeting"]);
app.MapGet("/pid", async (HttpContext context) =>
{
    // With a Content-Length, for the load client of the reload test, which reads no chunked bodies.
    byte[] pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    context.Response.ContentLength = pid.Length;
    await context.Response.Body.WriteAsync(pid);
});
app.MapGet("/throw", string () => throw new InvalidOperationException("fixture endpoint failure"));
app.MapGet("/environment", (IWebHostEnvironment environment) => new
{
    environment.ApplicationName,
    environment.EnvironmentName,
    environment.ContentRootPath,
    environment.WebRootPath,
});
app.MapGet("/connection", (HttpContext context) => new
{
    remoteIp = context.Connection.RemoteIpAddress?.ToString(),
    remotePort = context.Connection.RemotePort,
    localIp = context.Connection.LocalIpAddress?.ToString(),
    localPort = context.Connection.LocalPort,
    scheme = context.Request.Scheme,
    host = context.Request.Host.Value,
    pathBase = context.Request.PathBase.Value,
    path = context.Request.Path.Value,
    query = context.Request.QueryString.Value,
});
app.MapGet("/log/{marker}", (string marker, ILogger<Program> logger) =>
{
    logger.LogWarning("fixture log line {Marker}", marker);
    return "logged";
});
app.MapGet("/file", (IWebHostEnvironment environment) =>
    Results.File(Path.Combine(environment.ContentRootPath, "files", "report.txt"), "text/plain"));
app.MapPost("/upload", async (IFormFile file) =>
{
    using var reader = new StreamReader(file.OpenReadStream());
    string content = await reader.ReadToEndAsync();
    return new { file.FileName, file.Length, content };
}).DisableAntiforgery();
app.MapGet("/sse", async (HttpContext context, ILogger<Program> logger) =>
{
    context.Response.ContentType = "text/event-stream";
    await context.Response.WriteAsync("data: first\n\n");
    await context.Response.Body.FlushAsync();
    try
    {
        // Held open until the client goes away: the first event must have reached it already.
        await Task.Delay(Timeout.Infinite, context.RequestAborted);
    }
    catch (OperationCanceledException)
    {
        logger.LogWarning("sse request aborted");
    }
});
app.MapGet("/trailers", async (HttpContext context) =>
{
    context.Response.DeclareTrailer("X-Checksum");
    await context.Response.WriteAsync("body ");
    await context.Response.Body.FlushAsync();
    await context.Response.WriteAsync("with trailers");
    context.Response.AppendTrailer("X-Checksum", "abc123");
});
app.Map("/ws", WebSocketEcho.RunAsync);
app.MapHub<ChatHub>("/hubs/chat");
app.MapControllers();

app.Run();
