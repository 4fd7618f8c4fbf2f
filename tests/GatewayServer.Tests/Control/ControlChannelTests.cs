using System.Net.Sockets;
using System.Text;
using GatewayServer.Control;
using GatewayServer.Tests.Master;

namespace GatewayServer.Tests.Control;

/// <summary>The master's end of a real socket pair, read while the test writes the worker's end raw.</summary>
public sealed class ControlChannelTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly ControlChannel _master;
    private readonly Socket _worker;

    public ControlChannelTests()
    {
        (_master, int childEnd) = ControlChannel.CreatePair(_time);
        _worker = new Socket(new SafeSocketHandle(childEnd, ownsHandle: true));
    }

    public void Dispose()
    {
        _master.Dispose();
        _worker.Dispose();
    }

    [Fact]
    public async Task A_line_of_exactly_the_longest_length_is_read_whole()
    {
        string line = new('a', ControlChannel.MaxWorkerLineBytes);
        _worker.Send(Encoding.ASCII.GetBytes(line + "\nready\n"));

        (await _master.ReadLineAsync()).Should().Be(line);
        (await _master.ReadLineAsync()).Should().Be("ready");
    }

    [Fact]
    public async Task A_line_one_byte_too_long_breaks_the_protocol()
    {
        _worker.Send(Encoding.ASCII.GetBytes(new string('a', ControlChannel.MaxWorkerLineBytes + 1) + "\n"));

        (await _master.Invoking(m => m.ReadLineAsync().AsTask()).Should().ThrowAsync<ControlProtocolException>())
            .WithMessage("a line longer than 65536 bytes");
    }

    [Fact]
    public async Task Bytes_without_a_newline_break_the_protocol_once_past_the_longest_line_however_many_follow()
    {
        byte[] chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        Task flood = Task.Run(() =>
        {
            try
            {
                for (int i = 0; i < 1024; i++)
                {
                    _worker.Send(chunk);
                }
            }
            catch (SocketException)
            {
                // The test is over and closed the master's end.
            }
        });

        await _master.Invoking(m => m.ReadLineAsync().AsTask()).Should().ThrowAsync<ControlProtocolException>();
        flood.IsCompleted.Should().BeFalse("the reader stopped after one line's worth, long before the 64 MiB were sent");
        _master.Dispose();
        await flood.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'s', 0x1B, (byte)'[', (byte)'2', (byte)'J' }, "a control character (0x1B) in a line")]
    [InlineData(new byte[] { (byte)'a', (byte)'\r' }, "a control character (0x0D) in a line")]
    [InlineData(new byte[] { (byte)'a', 0xC3 }, "a line that is not UTF-8")]
    public async Task A_line_that_is_not_printable_text_breaks_the_protocol(byte[] line, string problem)
    {
        _worker.Send([.. line, (byte)'\n']);

        (await _master.Invoking(m => m.ReadLineAsync().AsTask()).Should().ThrowAsync<ControlProtocolException>()).WithMessage(problem);
    }

    [Fact]
    public async Task Messages_beyond_the_burst_break_the_protocol_and_the_rate_refills_with_time()
    {
        await SendAndReadAsync(ControlChannel.WorkerMessageBurst);
        _time.Advance(TimeSpan.FromSeconds(1));
        await SendAndReadAsync(ControlChannel.WorkerMessagesPerSecond);

        _worker.Send("status 1 0\n"u8.ToArray());
        (await _master.Invoking(m => m.ReadLineAsync().AsTask()).Should().ThrowAsync<ControlProtocolException>())
            .WithMessage("more than 100 messages at once or 50 a second");
    }

    [Fact]
    public async Task The_worker_end_sends_control_characters_as_spaces_and_cuts_a_long_line_at_a_character_boundary()
    {
        (ControlChannel master, int childEnd) = ControlChannel.CreatePair(_time);
        using (master)
        using (ControlChannel worker = ControlChannel.FromDescriptor(childEnd))
        {
            worker.Send("boot-failed 4 a\tb\u001b[2Jc\r\nd");
            worker.Send("boot-failed 4 " + new string('é', ControlChannel.MaxWorkerLineBytes));

            (await master.ReadLineAsync()).Should().Be("boot-failed 4 a b [2Jc  d");
            string cut = (await master.ReadLineAsync())!;
            Encoding.UTF8.GetByteCount(cut).Should().BeInRange(ControlChannel.MaxWorkerLineBytes - 1, ControlChannel.MaxWorkerLineBytes);
            cut.Should().EndWith("éé");
        }
    }

    [Fact]
    public async Task The_worker_end_reads_the_master_lines_longer_than_a_worker_may_send()
    {
        (ControlChannel master, int childEnd) = ControlChannel.CreatePair(_time);
        using (master)
        using (ControlChannel worker = ControlChannel.FromDescriptor(childEnd))
        {
            string setting = "env=BIG=" + new string('v', 100_000);
            master.Send(setting);

            (await worker.ReadLineAsync()).Should().Be(setting);
        }
    }

    private async Task SendAndReadAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _worker.Send("status 1 0\n"u8.ToArray());
            (await _master.ReadLineAsync()).Should().Be("status 1 0");
        }
    }
}
