using GatewayServer.Engine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using BadRequest = Microsoft.AspNetCore.Http.BadHttpRequestException;

namespace GatewayServer.AspNetCore;

/// <summary>
/// One connection's requests run through the app's <see cref="IHttpApplication{TContext}"/>: the
/// host's context is made once per connection and reused (<see cref="IHostContextContainer{TContext}"/>,
/// as Kestrel does), the app's request delegate runs, and the response is ended for it. An
/// exception the app lets out is logged and answered 500 (or the status of a bad request) when the
/// response has not started, and aborts the connection when it has.
/// </summary>
internal sealed class AspNetCoreExchange<TContext> : ExchangeFeatures, IExchangeHandler, IHostContextContainer<TContext>
    where TContext : notnull
{
    private readonly IHttpApplication<TContext> _application;

    public AspNetCoreExchange(HttpExchange exchange, IHttpApplication<TContext> application, ApplicationHostOptions options)
        : base(exchange, options)
    {
        _application = application;
    }

    public TContext? HostContext { get; set; }

    /// <summary>Nothing to drop: the features are reset by the next request, and an upgraded connection has none.</summary>
    public void Release()
    {
    }

    public async ValueTask ProcessAsync()
    {
        ResetFeatures();
        TContext context = _application.CreateContext(this);
        Exception? failure = null;
        try
        {
            Task processing;
            BeginSynchronousPart();
            try
            {
                processing = _application.ProcessRequestAsync(context);
            }
            finally
            {
                EndSynchronousPart();
            }

            if (!processing.IsCompleted)
            {
                await SendDeferredAsync().ConfigureAwait(false);
            }

            await processing.ConfigureAwait(false);
            await CompleteResponseAsync().ConfigureAwait(false);
        }
        catch (Exception error)
        {
            failure = error;
            await AnswerFailureAsync(error).ConfigureAwait(false);
        }
        finally
        {
            await FireOnCompletedAsync().ConfigureAwait(false);
            _application.DisposeContext(context, failure);
        }

        if (RequestBodyFailed)
        {
            // What is left of the body cannot be found: the next request would start inside it.
            Exchange.Response.ForbidKeepAlive();
        }
    }

    private async ValueTask AnswerFailureAsync(Exception error)
    {
        if (error is OperationCanceledException && Exchange.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        BadRequest? badRequest = error as BadRequest ?? error.InnerException as BadRequest;
        if (badRequest is null)
        {
            Exchange.Context.Log.AppError(Method, RawTarget, error);
        }
        else
        {
            Exchange.Context.Log.BadRequest(RemoteIpAddress?.ToString() ?? "-", badRequest.StatusCode, badRequest.Message);
        }

        int status = badRequest?.StatusCode ?? StatusCodes.Status500InternalServerError;
        if (!await TrySendErrorAsync(status, keepAlive: badRequest is null && !RequestBodyFailed).ConfigureAwait(false))
        {
            // Part of the response is out: a second one cannot follow, and the first cannot be finished.
            Exchange.Abort();
        }
    }
}
