using System.Text;

namespace GatewayServer.Engine;

/// <summary>
/// The app's error stream (<c>gateway.errors</c>, OWIN's <c>host.TraceOutput</c>): whole lines the application writes go to the error log,
/// tagged with the worker. Writes from concurrent requests are serialised.
/// </summary>
internal sealed class ErrorLogWriter : TextWriter
{
    private readonly IServerLog _log;
    private readonly StringBuilder _line = new();

    public ErrorLogWriter(IServerLog log)
    {
        _log = log;
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_line)
        {
            if (value == '\n')
            {
                EmitLine();
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (_line)
        {
            foreach (char c in value)
            {
                Write(c);
            }
        }
    }

    public override void Flush()
    {
        lock (_line)
        {
            if (_line.Length > 0)
            {
                EmitLine();
            }
        }
    }

    private void EmitLine()
    {
        _log.AppMessage(_line.ToString());
        _line.Clear();
    }
}
