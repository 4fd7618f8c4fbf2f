namespace GatewayServer.Master;

/// <summary>The environment through which a master re-executed by USR2 learns its sockets.</summary>
public static class MasterEnvironment
{
    /// <summary>The listening sockets to adopt instead of binding: descriptors, comma-separated, one per bind address.</summary>
    public const string InheritDescriptors = "GWSERVE_INHERIT_FDS";

    /// <summary>
    /// Set beside <see cref="InheritDescriptors"/> when those sockets came from systemd: their
    /// names, as <c>LISTEN_FDNAMES</c> gives them. The successor then uses them whatever <c>--bind</c> says.
    /// </summary>
    public const string InheritActivated = "GWSERVE_INHERIT_ACTIVATED";

    /// <summary>Reads and clears <see cref="InheritActivated"/>: the systemd sockets a USR2 predecessor handed over, or null.</summary>
    public static IReadOnlyList<Transport.ActivatedSocket>? TakeInheritedActivation(IReadOnlyList<int>? descriptors)
    {
        string? names = Environment.GetEnvironmentVariable(InheritActivated);
        Environment.SetEnvironmentVariable(InheritActivated, null);
        if (names is null || descriptors is null)
        {
            return null;
        }

        string[] nameList = names.Split(':');
        return [.. descriptors.Select((fd, i) => new Transport.ActivatedSocket(fd, i < nameList.Length ? nameList[i] : "unknown"))];
    }

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
