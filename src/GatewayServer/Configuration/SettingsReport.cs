using System.Text;

namespace GatewayServer.Configuration;

/// <summary>The output of <c>--print-config</c>: every setting, its effective value and its source.</summary>
public static class SettingsReport
{
    public static string Render(ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = new StringBuilder();
        report.Append("# config file: ").Append(settings.ConfigFile ?? "(none)").Append('\n');
        foreach (string warning in settings.Warnings)
        {
            report.Append("# warning: ").Append(warning).Append('\n');
        }

        int width = 0;
        foreach (Setting setting in Settings.All)
        {
            width = Math.Max(width, setting.Name.Length);
        }

        foreach (Setting setting in Settings.All)
        {
            IReadOnlyList<string> texts = setting.Format(settings.GetValue(setting));
            report.Append(setting.Name.PadRight(width)).Append(" = ").Append(string.Join(", ", texts))
                .Append("  # ").Append(Describe(settings.SourceOf(setting))).Append('\n');
        }

        return report.ToString();
    }

    public static string Describe(SettingSource source) => source switch
    {
        SettingSource.ConfigFile => "config file",
        SettingSource.Environment => "environment",
        SettingSource.CommandLine => "command line",
        _ => "default",
    };
}
