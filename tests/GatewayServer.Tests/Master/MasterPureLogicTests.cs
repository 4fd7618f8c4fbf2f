using System.Runtime.InteropServices;
using GatewayServer.Master;

namespace GatewayServer.Tests.Master;

public sealed class MasterPureLogicTests
{
    [Theory]
    [InlineData("   51234 kB", 51234)]
    [InlineData("\t8 kB", 8)]
    [InlineData("garbage", -1)]
    public void VmRSS_values_are_read_in_kilobytes(string text, long expected) =>
        ProcStatus.ParseKilobytes(text).Should().Be(expected);

    [Fact]
    public void Resident_memory_of_this_process_is_read_from_proc()
    {
        ProcStatus.ReadResidentBytes(Environment.ProcessId).Should().BeGreaterThan(1024 * 1024);
        ProcStatus.ReadResidentBytes(int.MaxValue).Should().Be(-1);
    }

    [Theory]
    [InlineData(PosixSignal.SIGHUP, 1, "hup")]
    [InlineData(PosixSignal.SIGTERM, 15, "term")]
    [InlineData((PosixSignal)21, 21, "ttin")]
    [InlineData((PosixSignal)(-9), 22, "ttou")]
    [InlineData((PosixSignal)28, 28, "winch")]
    [InlineData((PosixSignal)12, 12, "usr2")]
    public void Signals_are_known_by_their_Linux_number_whether_named_or_raw(PosixSignal signal, int number, string name)
    {
        Signals.Number(signal).Should().Be(number);
        Signals.Name(signal).Should().Be(name);
    }
}
