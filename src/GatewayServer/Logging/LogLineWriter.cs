using System.Text;

namespace GatewayServer.Logging;

/// <summary>
/// A <see cref="TextWriter"/> that hands each whole line to a log call: what <c>--capture-output</c>
/// puts in place of <c>Console.Out</c> and <c>Console.Error</c>. Writes from several threads are
/// serialised; a partial line waits for its end (or a flush).
/// </summary>
public sealed class LogLineWriter : TextWriter
{
    private readonly Action<string> _emit;
    private readonly StringBuilder _line = new();

    public LogLineWriter(Action<string> emit)
    {
        _emit = emit;
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_line)
        {
            Append(value);
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
                Append(c);
            }
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        Write(new string(buffer, index, count));
    }

    public override void WriteLine(string? value)
    {
        lock (_line)
        {
            Write(value);
            Append('\n');
        }
    }

    public override void Flush()
    {
        lock (_line)
        {
            if (_line.Length > 0)
            {
                Emit();
            }
        }
    }

    private void Append(char c)
    {
        if (c == '\n')
        {
            Emit();
        }
        else if (c != '\r')
        {
            _line.Append(c);
        }
    }

    private void Emit()
    {
        string line = _line.ToString();
        _line.Clear();
        _emit(line);
    }
}
