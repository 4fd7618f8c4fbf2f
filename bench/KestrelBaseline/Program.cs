// The ASP.NET Core baseline for bench/run: Kestrel behind a minimal API, answering every GET /
// with the same 13-byte text/plain body as samples/HelloApp. Bind it with --urls or ASPNETCORE_URLS.
var builder = WebApplication.CreateSlimBuilder(args);

// Only warnings and errors: per-request or lifetime logging must not be what the benchmark measures.
builder.Logging.ClearProviders();
builder.Logging.AddConsole();
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var app = builder.Build();

app.MapGet("/", static () => Results.Text("Hello, World!", "text/plain"));

// bench/websocket: the same WebSocket echo as samples/ChatApp's /echo.
app.UseWebSockets();
app.Map("/echo", WebSocketEcho.RunAsync);

app.Run();
