using Serilog.Core;
using Serilog.Events;

namespace DependencyApp;

/// <summary>A Serilog sink that keeps the last rendered message.</summary>
internal sealed class RenderingSink : ILogEventSink
{
    public string? Rendered { get; private set; }

    public void Emit(LogEvent logEvent) => Rendered = logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture);
}
