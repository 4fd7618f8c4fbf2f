namespace LoadingFixtures;

/// <summary>Holds a nested app, found as <c>Outer.Inner</c> or <c>Outer+Inner</c>.</summary>
public static class Outer
{
    public sealed class Inner : TextApp
    {
        public Inner() : base("Outer.Inner")
        {
        }
    }
}
