using GatewayServer.Configuration;

namespace GatewayServer.Tests.Configuration;

public sealed class SettingsDocumentTests
{
    [Fact]
    public void Committed_docs_settings_md_is_generated_from_the_current_table()
    {
        string path = Path.Combine(RepositoryLayout.Root(), "docs", "settings.md");
        string committed = File.Exists(path) ? File.ReadAllText(path) : string.Empty;

        committed.Should().Be(SettingsDocument.Render(),
            "docs/settings.md is generated: run `artifacts/bin/GatewayServer.Cli/release/gwserve --print-settings-doc > docs/settings.md`");
    }

    [Fact]
    public void Every_setting_is_documented_with_its_flag_and_environment_variable()
    {
        string doc = SettingsDocument.Render();

        foreach (Setting setting in Settings.All)
        {
            doc.Should().Contain($"### `{setting.Name}`").And.Contain(setting.Flag).And.Contain(setting.EnvironmentVariable);
        }
    }
}
