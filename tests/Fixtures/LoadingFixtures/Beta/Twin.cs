namespace LoadingFixtures.Beta;

/// <summary>Shares its simple name with <see cref="Alpha.Twin"/>.</summary>
public sealed class Twin : TextApp
{
    public Twin() : base("Beta.Twin")
    {
    }
}
