namespace TestApps;

/// <summary>A type that implements neither gateway interface: loading it must fail with exit code 9.</summary>
public sealed class NotAnApp
{
    public override string ToString() => "not an app";
}
