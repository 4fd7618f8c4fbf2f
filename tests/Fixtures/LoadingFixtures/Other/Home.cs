using LoadingFixtures;

namespace Other.Site;

/// <summary>A type whose name ends like the member <see cref="LoadingFixtures.Site.Home"/>.</summary>
public sealed class Home : TextApp
{
    public Home() : base("Other.Site.Home type")
    {
    }
}
