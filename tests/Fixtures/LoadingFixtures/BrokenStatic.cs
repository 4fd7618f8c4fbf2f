namespace LoadingFixtures;

/// <summary>Its type initializer throws when the field is first read.</summary>
public static class BrokenStatic
{
    public static readonly TextApp App = Create();

    private static TextApp Create() => throw new NotSupportedException("type initializer failed");
}
