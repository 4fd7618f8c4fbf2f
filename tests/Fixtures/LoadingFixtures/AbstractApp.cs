namespace LoadingFixtures;

/// <summary>Implements the interface but cannot be instantiated.</summary>
public abstract class AbstractApp : TextApp
{
    protected AbstractApp() : base("abstract")
    {
    }
}
