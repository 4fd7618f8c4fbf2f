using GatewayServer.Configuration;

namespace GatewayServer.Tests.Configuration;

public sealed class ConfigFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gwserve-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string json)
    {
        string path = Path.Combine(_directory, "gwserve.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Settings_are_read_by_their_names_lists_as_arrays()
    {
        string path = Write("""{ "workers": 3, "bind": ["127.0.0.1:1", "unix:/tmp/x"], "capture-output": true, "keep-alive": 2.5 }""");

        var values = ConfigFile.Read(path);

        values[Settings.Workers].Should().Equal("3");
        values[Settings.Bind].Should().Equal("127.0.0.1:1", "unix:/tmp/x");
        values[Settings.CaptureOutput].Should().Equal("True");
        values[Settings.KeepAlive].Should().Equal("2.5");
    }

    [Fact]
    public void An_unknown_key_is_an_error_with_its_path()
    {
        string path = Write("""{ "workers": 3, "wokers": 4 }""");

        Action read = () => ConfigFile.Read(path);

        read.Should().Throw<SettingException>().WithMessage($"config file {path}: unknown key \"wokers\" (not a setting; see gwserve --help)");
    }

    [Fact]
    public void An_object_under_a_single_value_setting_is_an_error_with_the_nested_path()
    {
        string path = Write("""{ "workers": { "count": 3 } }""");

        Action read = () => ConfigFile.Read(path);

        read.Should().Throw<SettingException>().WithMessage($"config file {path}: key \"workers.count\": workers takes one value, not an object or array");
    }

    [Fact]
    public void An_object_inside_a_list_is_an_error_with_its_index()
    {
        string path = Write("""{ "bind": ["127.0.0.1:1", { "host": "x" }] }""");

        Action read = () => ConfigFile.Read(path);

        read.Should().Throw<SettingException>().WithMessage($"config file {path}: key \"bind[1]\": bind takes an array of strings");
    }

    [Fact]
    public void Broken_json_is_one_line_saying_where()
    {
        string path = Write("{ \"workers\": 3,\n  \"bind\": }");

        Action read = () => ConfigFile.Read(path);

        string message = read.Should().Throw<SettingException>().Which.Message;
        message.Should().StartWith($"config file {path}: not valid JSON: ").And.Contain("LineNumber: 1").And.NotContain("\n");
    }

    [Fact]
    public void A_missing_file_is_an_error()
    {
        Action read = () => ConfigFile.Read(Path.Combine(_directory, "absent.json"));

        read.Should().Throw<SettingException>().WithMessage("*absent.json: not found");
    }
}
