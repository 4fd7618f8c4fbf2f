namespace LoadingFixtures;

/// <summary>The app a target without <c>:NAME</c> finds.</summary>
public sealed class App : TextApp
{
    public App() : base("App")
    {
    }
}
