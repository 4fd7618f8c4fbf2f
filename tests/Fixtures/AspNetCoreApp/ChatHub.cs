using Microsoft.AspNetCore.SignalR;

namespace AspNetCoreApp;

/// <summary>A SignalR hub: an echo answered to the caller, and a broadcast to every client.</summary>
public sealed class ChatHub : Hub
{
    public string Echo(string message) => message;

    public Task Broadcast(string message) => Clients.All.SendAsync("message", message);

    public int WorkerPid() => Environment.ProcessId;
}
