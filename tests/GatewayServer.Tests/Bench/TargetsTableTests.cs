using BenchReport;

namespace GatewayServer.Tests.Bench;

public sealed class TargetsTableTests
{
    [Fact]
    public void A_ratio_where_higher_is_better_is_met_at_the_limit_and_missed_just_below_it()
    {
        Target.Ratio("t", 900, 1000, 0.9, Better.Higher).Should().Be(new TargetResult("t", "0.90×", true));
        Target.Ratio("t", 899, 1000, 0.9, Better.Higher).Should().Be(new TargetResult("t", "0.90×", false));
    }

    [Fact]
    public void A_ratio_where_lower_is_better_is_met_at_the_limit_and_missed_above_it()
    {
        Target.Ratio("t", 103, 100, 1.03, Better.Lower).Met.Should().BeTrue();
        Target.Ratio("t", 104, 100, 1.03, Better.Lower).Met.Should().BeFalse();
    }

    [Fact]
    public void A_target_without_a_figure_or_with_a_zero_peer_has_no_verdict()
    {
        Target.Ratio("t", null, 100, 1, Better.Higher).Verdict.Should().Be("n/a");
        Target.Ratio("t", 100, 0, 1, Better.Higher).Measured.Should().Be("n/a");
        Target.AtMost("t", null, 200, "ms", "0").Verdict.Should().Be("n/a");
    }

    [Fact]
    public void An_upper_limit_is_met_at_the_limit_and_written_with_its_unit()
    {
        Target.AtMost("t", 200, 200, "ms", "0").Should().Be(new TargetResult("t", "200 ms", true));
        Target.AtMost("t", 20.1, 20, "MB", "F1").Should().Be(new TargetResult("t", "20.1 MB", false));
    }

    [Fact]
    public void The_OWIN_hello_world_is_judged_against_the_gateway_hello_world_of_the_same_run()
    {
        RunResults run = Run(("gwserve", "ka_rps", "", "70000"), ("gwserve-owin", "ka_rps", "", "56000"), ("kestrel", "ka_rps", "", "40000"));

        IReadOnlyList<TargetResult> results = TargetsTable.Judge(run);

        results.Should().ContainSingle(r => r.Label.StartsWith("OWIN hello world"))
            .Which.Should().Match<TargetResult>(r => r.Measured == "0.80×" && r.Met == false);
        results.Should().ContainSingle(r => r.Label == "keep-alive req/s ≥ 1.6× Kestrel")
            .Which.Should().Match<TargetResult>(r => r.Measured == "1.75×" && r.Met == true);
    }

    [Fact]
    public void Memory_targets_take_the_master_as_the_first_pid_and_the_largest_worker_of_the_others()
    {
        // 19,000 KiB is 19.5 MB and 17,000 KiB 17.4 MB (MB of 10^6 bytes, as the targets are).
        RunResults run = Run(
            ("gwserve", "pids", "", "10 11 12"),
            ("gwserve", "idle_pss", "10", "19000"),
            ("gwserve", "idle_pss", "11", "17000"),
            ("gwserve", "idle_pss", "12", "16000"));

        IReadOnlyList<TargetResult> results = TargetsTable.Judge(run);

        results.Should().ContainSingle(r => r.Label == "master PSS ≤ 20 MB").Which.Should().Be(new TargetResult("master PSS ≤ 20 MB", "19.5 MB", true));
        results.Should().ContainSingle(r => r.Label == "idle worker PSS not above 18 MB (largest worker)").Which.Measured.Should().Be("17.4 MB");
    }

    private static RunResults Run(params (string Server, string Figure, string Pid, string Value)[] figures)
    {
        var servers = new Dictionary<string, ServerFigures>();
        foreach (var (server, figure, pid, value) in figures)
        {
            if (!servers.TryGetValue(server, out ServerFigures? figuresOfServer))
            {
                figuresOfServer = new ServerFigures(server);
                servers[server] = figuresOfServer;
            }

            figuresOfServer.Add(figure, pid, value);
        }

        return new RunResults("unused", new Dictionary<string, string> { ["servers"] = string.Join(' ', servers.Keys) }, servers.Values);
    }
}
