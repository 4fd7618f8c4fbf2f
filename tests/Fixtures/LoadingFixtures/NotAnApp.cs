namespace LoadingFixtures;

/// <summary>A type that exists but is no application.</summary>
public sealed class NotAnApp
{
    public override string ToString() => nameof(NotAnApp);
}
