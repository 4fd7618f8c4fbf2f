using GatewayServer.Logging;

namespace GatewayServer.Tests.Logging;

public sealed class LogTemplateTests
{
    [Fact]
    public void Interpolated_holes_become_named_properties_of_a_constant_template()
    {
        var worker = new { Pid = 42 };
        int delay = 200;

        (string template, object?[] values) = Capture($"Worker {worker.Pid} restarts in {delay} ms");

        template.Should().Be("Worker {pid} restarts in {delay} ms");
        values.Should().Equal(42, 200);
    }

    [Fact]
    public void Braces_in_literal_text_are_escaped_and_formats_kept()
    {
        double seconds = 1.25;

        (string template, _) = Capture($"literal {{braces}} and {seconds:0.0}s and {Math.Max(1, 2)}");

        template.Should().Be("literal {{braces}} and {seconds:0.0}s and {value1}");
    }

    private static (string, object?[]) Capture(ref LogTemplate message) => message.Build();
}
