using System.Text;

namespace GatewayServer.Configuration;

/// <summary>
/// docs/settings.md, generated from the settings table (<c>gwserve --print-settings-doc</c>); a
/// unit test fails when the committed file differs, so the docs cannot drift from the code.
/// </summary>
public static class SettingsDocument
{
    public static string Render()
    {
        var doc = new StringBuilder();
        doc.Append("""
            # Settings

            <!-- Generated from src/GatewayServer/Configuration/Settings.cs by `gwserve --print-settings-doc`; do not edit by hand. -->

            Every setting can be given four ways; a later source wins over an earlier one:

            1. its default;
            2. the config file: `-c/--config FILE`, else `$GWSERVE_CONFIG`, else `gwserve.json` in the
               working directory if there is one. A JSON object whose keys are the setting names below
               (`{"workers": 4, "bind": ["127.0.0.1:8000"]}`); an unknown key is an error;
            3. the environment: `GWSERVE_<NAME>` (a list separated by commas), then the options in
               `GWSERVE_CMD_ARGS`, split like a shell command line (`GWSERVE_CMD_ARGS="--workers 3 --log-level debug"`);
            4. the command line.

            A bad value stops gwserve with one line on standard error naming the source, the setting and
            what was expected, and exit code 2. `gwserve --print-config` shows the effective value of every
            setting and where it came from; `gwserve --check-config APP` also loads the app, and exits 0
            or 1.

            Switches (shown as `BOOL`) take no value on the command line (`--capture-output`) and `true`
            or `false` everywhere else.

            """);

        string? section = null;
        foreach (Setting setting in Settings.All)
        {
            if (setting.Section != section)
            {
                section = setting.Section;
                doc.Append("\n## ").Append(section).Append('\n');
            }

            doc.Append("\n### `").Append(setting.Name).Append("`\n\n");
            doc.Append(setting.Help).Append("\n\n");
            doc.Append("| | |\n|---|---|\n");
            string flag = setting.IsSwitch ? setting.Flag : $"{setting.Flag} {setting.ValueName}";
            if (setting.ShortFlag is not null)
            {
                flag = setting.IsSwitch ? $"{setting.ShortFlag}, {flag}" : $"{setting.ShortFlag} {setting.ValueName}, {flag}";
            }

            doc.Append("| Command line | `").Append(flag).Append('`').Append(setting.IsList ? " (repeatable)" : string.Empty).Append(" |\n");
            doc.Append("| Environment | `").Append(setting.EnvironmentVariable).Append('`');
            if (setting.FallbackEnvironmentVariable is not null)
            {
                doc.Append(", then `").Append(setting.FallbackEnvironmentVariable).Append('`');
            }

            doc.Append(" |\n");
            doc.Append("| Config file | `\"").Append(setting.Name).Append("\": ").Append(setting.IsList ? "[...]" : "...").Append("` |\n");
            doc.Append("| Default | `").Append(Escape(setting.FormatForDisplay(setting.DefaultValue))).Append("` |\n");
        }

        doc.Append("""

            ## Command-line only

            | Option | |
            |---|---|
            | `-c FILE`, `--config FILE` | Read settings from this JSON file instead of `gwserve.json`. |
            | `--print-config` | Print the effective value and source of every setting, then exit. |
            | `--check-config` | Check the settings and load the app in a throwaway context; exit 0, or 1 with the reason. |
            | `--version` | Print the version and exit. |
            | `-h`, `--help` | Print the options (generated from the same table) and exit. |

            """);
        return doc.ToString();
    }

    private static string Escape(string text) => text.Length == 0 ? "(empty)" : text.Replace("|", "\\|", StringComparison.Ordinal);
}
