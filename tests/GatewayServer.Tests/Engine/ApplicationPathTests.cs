using GatewayServer.Engine;
using GatewayServer.Tests.Http;

namespace GatewayServer.Tests.Engine;

public sealed class ApplicationPathTests
{
    [Theory]
    [InlineData("/", "", null, "", "/")]
    [InlineData("/a%20b", "", null, "", "/a b")]
    [InlineData("/mount/x", "/mount", null, "/mount", "/x")]
    [InlineData("/mount", "/mount", null, "/mount", "")]
    [InlineData("/mountain", "/mount", null, "/mount", "/mountain")]
    [InlineData("/mount/x", "/mount", "/proxy", "/proxy/mount", "/x")]
    [InlineData("/x", "", "/proxy", "/proxy", "/x")]
    public void The_path_is_decoded_and_split_after_the_proxy_prefix_and_the_script_name(string target, string scriptName, string? prefix, string pathBase, string path)
    {
        var head = ParserHarness.Parse($"GET {target} HTTP/1.1\r\nHost: h\r\n\r\n");

        ApplicationPath.Split(head, scriptName, prefix).Should().Be((pathBase, path));
    }

    [Fact]
    public void An_asterisk_target_has_no_path()
    {
        var head = ParserHarness.Parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");

        ApplicationPath.Split(head, string.Empty, null).Path.Should().BeEmpty();
    }
}
