namespace LoadingFixtures.Alpha;

/// <summary>Shares its simple name with <see cref="Beta.Twin"/>.</summary>
public sealed class Twin : TextApp
{
    public Twin() : base("Alpha.Twin")
    {
    }
}
