namespace LoadingFixtures;

/// <summary>With <see cref="Other.Site.Home"/>, makes <c>Site.Home</c> mean a member and a type at once.</summary>
public static class Site
{
    public static TextApp Home { get; } = new("LoadingFixtures.Site.Home property");
}
