namespace GatewayServer.Engine;

/// <summary>The <c>--request-id</c> setting.</summary>
public enum RequestIdMode
{
    Off,

    /// <summary>Every request gets a new id.</summary>
    Generate,

    /// <summary>The client's <c>X-Request-Id</c> when it is a safe token, else a new id.</summary>
    Trust,
}
