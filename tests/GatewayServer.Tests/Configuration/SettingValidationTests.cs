using GatewayServer.Configuration;

namespace GatewayServer.Tests.Configuration;

/// <summary>Every validation message of the table, as the operator reads it.</summary>
public sealed class SettingValidationTests
{
    [Theory]
    [InlineData("bind", "host:port", "invalid value \"host:port\" for bind: \"host:port\" has an invalid port: expected 0 to 65535")]
    [InlineData("backlog", "0", "invalid value \"0\" for backlog: expected an integer from 1 to 65535")]
    [InlineData("workers", "1025", "invalid value \"1025\" for workers: expected an integer from 1 to 1024")]
    [InlineData("threads", "x", "invalid value \"x\" for threads: expected an integer from 1 to 4096")]
    [InlineData("worker-connections", "0", "invalid value \"0\" for worker-connections: expected an integer from 1 to 1048576")]
    [InlineData("app-dispatch", "threads", "invalid value \"threads\" for app-dispatch: expected one of auto, loop, pool")]
    [InlineData("graceful-timeout", "-1", "invalid value \"-1\" for graceful-timeout: expected a number of seconds of at least 0")]
    [InlineData("timeout", "-2", "invalid value \"-2\" for timeout: expected a number of seconds of at least 0")]
    [InlineData("request-timeout", "long", "invalid value \"long\" for request-timeout: expected a number of seconds of at least 0")]
    [InlineData("max-requests", "-1", "invalid value \"-1\" for max-requests: expected an integer from 0 to 2147483647")]
    [InlineData("max-requests-jitter", "ten", "invalid value \"ten\" for max-requests-jitter: expected an integer from 0 to 2147483647")]
    [InlineData("max-worker-memory", "1.5", "invalid value \"1.5\" for max-worker-memory: expected an integer from 0 to 2147483647")]
    [InlineData("reuse-port", "sometimes", "invalid value \"sometimes\" for reuse-port: expected true or false")]
    [InlineData("reload", "often", "invalid value \"often\" for reload: expected true or false")]
    [InlineData("reload-extra-file", "", "invalid value \"\" for reload-extra-file: expected a file path or glob, e.g. config/*.json")]
    [InlineData("keep-alive", "soon", "invalid value \"soon\" for keep-alive: expected a number of seconds of at least 0")]
    [InlineData("header-timeout", "0", "invalid value \"0\" for header-timeout: expected a number of seconds of at least 0.001")]
    [InlineData("limit-request-line", "2000000", "invalid value \"2000000\" for limit-request-line: expected an integer from 0 to 1048576")]
    [InlineData("limit-request-fields", "-1", "invalid value \"-1\" for limit-request-fields: expected an integer from 0 to 32768")]
    [InlineData("limit-request-field-size", "big", "invalid value \"big\" for limit-request-field-size: expected an integer from 0 to 1048576")]
    [InlineData("limit-request-body", "-5", "invalid value \"-5\" for limit-request-body: expected an integer of at least 0")]
    [InlineData("body-timeout", "never", "invalid value \"never\" for body-timeout: expected a number of seconds of at least 0")]
    [InlineData("min-request-body-rate", "-1", "invalid value \"-1\" for min-request-body-rate: expected an integer from 0 to 2147483647")]
    [InlineData("min-request-body-rate-grace", "x", "invalid value \"x\" for min-request-body-rate-grace: expected a number of seconds of at least 0")]
    [InlineData("min-response-rate", "-1", "invalid value \"-1\" for min-response-rate: expected an integer from 0 to 2147483647")]
    [InlineData("min-response-rate-grace", "x", "invalid value \"x\" for min-response-rate-grace: expected a number of seconds of at least 0")]
    [InlineData("script-name", "api/", "invalid value \"api/\" for script-name: expected a path that starts with / and does not end with /, e.g. /api")]
    [InlineData("log-level", "loud", "invalid value \"loud\" for log-level: expected one of debug, info, warning, error, critical")]
    [InlineData("error-logfile", "", "invalid value \"\" for error-logfile: expected a file path or - for standard error")]
    [InlineData("access-logformat", "%(h)s %(zz)s", "invalid value \"%(h)s %(zz)s\" for access-logformat: unknown token %(zz)s; expected one of h l u t r m U q H s B b f a T M D L p {header}i {header}o")]
    [InlineData("access-logformat", "100%", "invalid value \"100%\" for access-logformat: expected %(name)s at position 4 (write %% for a literal %)")]
    [InlineData("access-logformat", "%({}i)s", "invalid value \"%({}i)s\" for access-logformat: unknown token %({}i)s; expected one of h l u t r m U q H s B b f a T M D L p {header}i {header}o")]
    [InlineData("log-format", "xml", "invalid value \"xml\" for log-format: expected one of text, json")]
    [InlineData("capture-output", "maybe", "invalid value \"maybe\" for capture-output: expected true or false")]
    [InlineData("request-id", "always", "invalid value \"always\" for request-id: expected one of off, generate, trust")]
    [InlineData("forwarded-allow-ips", "10.0.0.0/33", "invalid value \"10.0.0.0/33\" for forwarded-allow-ips: expected IP addresses or CIDR ranges separated by commas, or *: 10.0.0.0/33 has a prefix length outside 0 to 32")]
    [InlineData("forwarded-allow-ips", "127.0.0.1,localhost", "invalid value \"127.0.0.1,localhost\" for forwarded-allow-ips: expected IP addresses or CIDR ranges separated by commas, or *: localhost is not an IP address or CIDR range")]
    [InlineData("forwarded-headers", "x-forwarded-for,x-real-ip", "invalid value \"x-forwarded-for,x-real-ip\" for forwarded-headers: expected none, or any of x-forwarded-for, x-forwarded-proto, x-forwarded-host, x-forwarded-prefix, forwarded, separated by commas: 'x-real-ip' is not a proxy header gwserve reads")]
    [InlineData("forwarded-headers", "forwarded,,", "invalid value \"forwarded,,\" for forwarded-headers: expected none, or any of x-forwarded-for, x-forwarded-proto, x-forwarded-host, x-forwarded-prefix, forwarded, separated by commas: an empty header name")]
    [InlineData("proxy-protocol", "v2", "invalid value \"v2\" for proxy-protocol: expected true or false")]
    [InlineData("proxy-allow-ips", "fd00::/129", "invalid value \"fd00::/129\" for proxy-allow-ips: expected IP addresses or CIDR ranges separated by commas, or *: fd00::/129 has a prefix length outside 0 to 128")]
    [InlineData("certfile", "/nonexistent/cert.pem", "invalid value \"/nonexistent/cert.pem\" for certfile: expected a readable file: Could not find a part of the path '/nonexistent/cert.pem'.")]
    [InlineData("certfile", "/etc/passwd", "invalid value \"/etc/passwd\" for certfile: expected a PEM file holding a certificate")]
    [InlineData("keyfile", "/nonexistent/key.pem", "invalid value \"/nonexistent/key.pem\" for keyfile: expected a readable file: Could not find a part of the path '/nonexistent/key.pem'.")]
    [InlineData("ca-certs", "/nonexistent/ca.pem", "invalid value \"/nonexistent/ca.pem\" for ca-certs: expected a readable file: Could not find a part of the path '/nonexistent/ca.pem'.")]
    [InlineData("cert-reqs", "sometimes", "invalid value \"sometimes\" for cert-reqs: expected one of none, optional, required")]
    [InlineData("unix-socket-mode", "0800", "invalid value \"0800\" for unix-socket-mode: expected permission bits in octal from 000 to 777, e.g. 660")]
    [InlineData("shutdown-delay", "-3", "invalid value \"-3\" for shutdown-delay: expected a number of seconds of at least 0")]
    [InlineData("pid", "/run/", "invalid value \"/run/\" for pid: expected a file path, not a directory")]
    [InlineData("user", "no-such-user-gwserve", "invalid value \"no-such-user-gwserve\" for user: expected a user name or uid that exists on this machine")]
    [InlineData("group", "no-such-group-gwserve", "invalid value \"no-such-group-gwserve\" for group: expected a group name or gid that exists on this machine")]
    [InlineData("umask", "1000", "invalid value \"1000\" for umask: expected permission bits in octal from 000 to 777, e.g. 660")]
    [InlineData("env", "=value", "invalid value \"=value\" for env: expected KEY=VALUE with a non-empty KEY")]
    [InlineData("metrics-bind", "fd://3", "invalid value \"fd://3\" for metrics-bind: expected HOST:PORT or unix:PATH")]
    [InlineData("control-socket", "/run/", "invalid value \"/run/\" for control-socket: expected a file path, not a directory")]
    [InlineData("otlp-endpoint", "collector:4318", "invalid value \"collector:4318\" for otlp-endpoint: expected an http:// or https:// URL without a query, such as http://127.0.0.1:4318")]
    public void A_bad_value_gives_one_line_saying_what_was_expected(string name, string text, string message)
    {
        Setting setting = Settings.Find(name)!;
        var settings = new ServerSettings();

        Action set = () => settings.SetFromText(setting, [text], SettingSource.CommandLine, "option " + setting.Flag);

        string actual = set.Should().Throw<SettingException>().Which.Message;
        actual.Should().StartWith($"option {setting.Flag}: {message}");
        actual.Should().NotContain("\n");
    }

    [Fact]
    public void Every_setting_has_a_validation_case_here()
    {
        var covered = typeof(SettingValidationTests).GetMethod(nameof(A_bad_value_gives_one_line_saying_what_was_expected))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).First()[0]).ToHashSet();

        var unchecked_ = Settings.All.Where(s => s.Name is not "chdir" and not "access-logfile").Select(s => s.Name).Where(n => !covered.Contains(n));

        unchecked_.Should().BeEmpty("every setting that can be wrong has its message tested (chdir and access-logfile take any text)");
    }

    [Fact]
    public void Every_default_reads_back_through_its_own_parser()
    {
        foreach (Setting setting in Settings.All)
        {
            setting.Format(setting.Parse(setting.Format(setting.DefaultValue))).Should().Equal(setting.Format(setting.DefaultValue), setting.Name);
        }
    }
}
