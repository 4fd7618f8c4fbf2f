namespace LoadingFixtures;

/// <summary>Its constructor throws, with a two-line message the loader must fold into one.</summary>
public sealed class ThrowingApp : TextApp
{
    public ThrowingApp() : base("unreachable") =>
        throw new InvalidOperationException("constructor failed\nsecond line");
}
