using Microsoft.AspNetCore.ResponseCompression;

namespace AspNetCoreApp;

/// <summary>
/// What an app commonly adds on top of the plain endpoints, to check that gwserve serves it as
/// Kestrel does: health checks, response compression, the request body limit's default, the
/// client certificate. Kept in one place so that Program.cs stays close to `dotnet new web`.
/// </summary>
public static class ServerParityEndpoints
{
    public static IServiceCollection AddServerParity(this IServiceCollection services)
    {
        services.AddHealthChecks();
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add<GzipCompressionProvider>();
        });
        return services;
    }

    public static WebApplication MapServerParity(this WebApplication app)
    {
        app.MapHealthChecks("/healthz");

        // Only under /compressed, so that the other endpoints' responses stay as the tests expect them.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/compressed"), branch => branch.UseResponseCompression());
        app.MapGet("/compressed/text", () => Results.Text(string.Concat(Enumerable.Repeat("compress me please ", 200)), "text/plain"));

        // Reads the whole body under the default MaxRequestBodySize (no [RequestSizeLimit]).
        app.MapPost("/body-length", async (HttpRequest request) =>
        {
            byte[] buffer = new byte[16 * 1024];
            long length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer)) > 0)
            {
                length += read;
            }

            return Results.Text(length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        app.MapGet("/body-limit", (HttpContext context) =>
            context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");

        app.MapGet("/client-certificate", async (HttpContext context) =>
        {
            var certificate = await context.Connection.GetClientCertificateAsync();
            return new { subject = certificate?.Subject, scheme = context.Request.Scheme, isHttps = context.Request.IsHttps };
        });
        // Flushes, some followed by a hop to the thread pool (Task.Yield): the response must come
        // whole and in order while the loop sends what was flushed and the app goes on elsewhere.
        app.MapGet("/flush-and-hop", async (HttpContext context) =>
        {
            for (int i = 0; i < 50; i++)
            {
                await context.Response.WriteAsync($"{i};");
                await context.Response.Body.FlushAsync();
                if (i % 2 == 0)
                {
                    await Task.Yield();
                }
            }
        });
        // The version of each framework assembly the app actually runs with: the few that gwserve's
        // worker also carries must be of the framework's major version, not newer ones of gwserve's.
        app.MapGet("/assembly-versions", () => new Dictionary<string, string>
        {
            ["configuration"] = typeof(Microsoft.Extensions.Configuration.ConfigurationManager).Assembly.GetName().Version!.ToString(),
            ["dependencyInjection"] = typeof(Microsoft.Extensions.DependencyInjection.ServiceCollection).Assembly.GetName().Version!.ToString(),
            ["diagnosticSource"] = typeof(System.Diagnostics.Activity).Assembly.GetName().Version!.ToString(),
            ["json"] = typeof(System.Text.Json.JsonSerializer).Assembly.GetName().Version!.ToString(),
            ["hosting"] = typeof(Microsoft.Extensions.Hosting.IHost).Assembly.GetName().Version!.ToString(),
        });
        return app;
    }
}
