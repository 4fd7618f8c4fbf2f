using GatewayServer.Master;

namespace GatewayServer.Tests.Master;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PidFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gwserve-pidfile-").FullName;
    private readonly string _victim;
    private readonly string _path;

    public PidFileTests()
    {
        _victim = Path.Combine(Directory.CreateTempSubdirectory("gwserve-victim-").FullName, "victim");
        File.WriteAllText(_victim, "precious\n");
        _path = Path.Combine(_directory, "gwserve.pid");
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        Directory.Delete(Path.GetDirectoryName(_victim)!, recursive: true);
    }

    [Fact]
    public void A_symbolic_link_at_the_pid_path_is_replaced_by_the_file_and_its_target_left_alone()
    {
        File.CreateSymbolicLink(_path, _victim);

        using (PidFile.Write(_path))
        {
            new FileInfo(_path).LinkTarget.Should().BeNull();
            File.ReadAllText(_path).Should().Be($"{Environment.ProcessId}\n");
            File.ReadAllText(_victim).Should().Be("precious\n");
            Directory.GetFileSystemEntries(_directory).Should().Equal([_path], "the temporary file was renamed");
        }

        File.Exists(_path).Should().BeFalse("it was this process's own file");
    }

    [Fact]
    public void A_symbolic_link_at_the_old_predictable_temporary_name_is_never_written_through()
    {
        string predictable = Path.Combine(_directory, $".gwserve.pid.{Environment.ProcessId}.tmp");
        File.CreateSymbolicLink(predictable, _victim);

        using (PidFile.Write(_path))
        {
            File.ReadAllText(_victim).Should().Be("precious\n");
            new FileInfo(predictable).LinkTarget.Should().Be(_victim);
        }
    }

    [Fact]
    public void At_exit_a_file_put_in_its_place_is_not_removed()
    {
        PidFile pidFile = PidFile.Write(_path);
        string successor = Path.Combine(_directory, "successor");
        File.WriteAllText(successor, $"{Environment.ProcessId}\n");
        File.Move(successor, _path, overwrite: true);

        pidFile.Dispose();

        File.ReadAllText(_path).Should().Be($"{Environment.ProcessId}\n", "same text, but another file: a successor's, or anyone's");
    }

    [Fact]
    public void At_exit_a_symbolic_link_put_in_its_place_is_left_and_its_target_too()
    {
        PidFile pidFile = PidFile.Write(_path);
        File.Delete(_path);
        File.CreateSymbolicLink(_path, _victim);

        pidFile.Dispose();

        new FileInfo(_path).LinkTarget.Should().Be(_victim);
        File.ReadAllText(_victim).Should().Be("precious\n");
    }

    [Fact]
    public void A_directory_that_cannot_be_written_is_an_IOException()
    {
        string missing = Path.Combine(_directory, "missing", "gwserve.pid");

        FluentActions.Invoking(() => PidFile.Write(missing)).Should().Throw<IOException>().WithMessage("*missing*");
    }
}
