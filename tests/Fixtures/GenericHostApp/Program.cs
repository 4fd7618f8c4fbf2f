namespace GenericHostApp;

/// <summary>The generic-host form of an ASP.NET Core app, as apps written before .NET 6 start.</summary>
public static class Program
{
    public static void Main(string[] args) =>
        Host.CreateDefaultBuilder(args)
            .ConfigureWebHostDefaults(web => web.Configure(app =>
                app.Run(context => context.Response.WriteAsync($"generic host {context.Request.Path}"))))
            .Build()
            .Run();
}
