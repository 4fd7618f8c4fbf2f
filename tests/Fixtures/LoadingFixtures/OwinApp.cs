namespace LoadingFixtures;

/// <summary>OWIN <c>AppFunc</c>s, as a property and as a method.</summary>
public static class OwinApp
{
    public static Func<IDictionary<string, object>, Task> AppFunc { get; } = Invoke;

    public static Task Invoke(IDictionary<string, object> environment)
    {
        environment["owin.ResponseStatusCode"] = 204;
        return Task.CompletedTask;
    }
}
