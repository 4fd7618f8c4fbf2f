namespace GatewayServer.Master;

/// <summary>The environment through which a master re-executed by USR2 learns its sockets.</summary>
public static class MasterEnvironment
{
    /// <summary>The listening sockets to adopt instead of binding: descriptors, comma-separated, one per bind address.</summary>
    public const string InheritDescriptors = "GWSERVE_INHERIT_FDS";

    /// <summary>Reads and clears the variable, so that workers never see it.</summary>
    public static IReadOnlyList<int>? TakeInheritedDescriptors()
    {
        string? text = Environment.GetEnvironmentVariable(InheritDescriptors);
        if (text is null)
        {
            return null;
        }

        Environment.SetEnvironmentVariable(InheritDescriptors, null);
        var descriptors = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            descriptors.Add(int.Parse(part, System.Globalization.CultureInfo.InvariantCulture));
        }

        return descriptors;
    }
}
