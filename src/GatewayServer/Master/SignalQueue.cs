using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace GatewayServer.Master;

/// <summary>
/// Turns signals into events on the master's queue. The handler does nothing else, as in
/// Gunicorn's arbiter: all the work happens on the master's loop.
/// </summary>
public sealed class SignalQueue : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    public SignalQueue(ChannelWriter<MasterEvent> events, IEnumerable<PosixSignal> signals)
    {
        foreach (PosixSignal signal in signals)
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                events.TryWrite(new MasterEvent.SignalReceived(context.Signal));
            }));
        }
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
