using System.Collections;
using GatewayServer.Engine;
using Microsoft.AspNetCore.Http.Features;

namespace GatewayServer.AspNetCore;

/// <summary>
/// The request features of one connection, in one object reused for each of its requests, as
/// Kestrel's <c>HttpProtocol</c> is: it is the <see cref="IFeatureCollection"/> the app's
/// <c>HttpContext</c> wraps, and implements the server's features itself, reading the parsed
/// request head of the <see cref="HttpExchange"/> directly. Features the app's middleware adds or
/// replaces are kept beside them until the request ends.
/// </summary>
internal abstract partial class ExchangeFeatures : IFeatureCollection
{
    private static long _lastConnectionId;

    private readonly List<KeyValuePair<Type, object?>> _features = new(24);
    private int _revision;

    protected ExchangeFeatures(HttpExchange exchange, ApplicationHostOptions options)
    {
        Exchange = exchange;
        Options = options;
        ConnectionNumber = Interlocked.Increment(ref _lastConnectionId);
        _requestBody = new RequestBodyStream(this);
        _responseBody = new ResponseBodyPipe(this);
        _responseStream = new ResponseBodyStream(_responseBody, this);
        _headerLines = new ResponseHeaderLines(_responseHeaders, skipServer: exchange.Context.ServerHeaderLine.Length > 0);
        _trailerLines = new ResponseHeaderLines(_trailers, skipServer: false);
    }

    protected HttpExchange Exchange { get; }

    protected ApplicationHostOptions Options { get; }

    private long ConnectionNumber { get; }

    public bool IsReadOnly => false;

    public int Revision => _revision;

    public object? this[Type key]
    {
        get
        {
            List<KeyValuePair<Type, object?>> features = _features;
            for (int i = 0; i < features.Count; i++)
            {
                if (ReferenceEquals(features[i].Key, key))
                {
                    return features[i].Value;
                }
            }

            return null;
        }

        set
        {
            _revision++;
            List<KeyValuePair<Type, object?>> features = _features;
            for (int i = 0; i < features.Count; i++)
            {
                if (ReferenceEquals(features[i].Key, key))
                {
                    features[i] = new(key, value);
                    return;
                }
            }

            features.Add(new(key, value));
        }
    }

    public TFeature? Get<TFeature>() => (TFeature?)this[typeof(TFeature)];

    public void Set<TFeature>(TFeature? instance) => this[typeof(TFeature)] = instance;

    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator()
    {
        foreach (KeyValuePair<Type, object?> feature in _features)
        {
            if (feature.Value is not null)
            {
                yield return new(feature.Key, feature.Value);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Makes the object the next request's: its own features back in place, and the request's state read from the new head.</summary>
    protected void ResetFeatures()
    {
        _revision++;
        _features.Clear();
        _features.Add(new(typeof(IHttpRequestFeature), this));
        _features.Add(new(typeof(IHttpResponseFeature), this));
        _features.Add(new(typeof(IHttpResponseBodyFeature), this));
        _features.Add(new(typeof(IHttpConnectionFeature), this));
        _features.Add(new(typeof(IHttpRequestLifetimeFeature), this));
        _features.Add(new(typeof(IHttpRequestIdentifierFeature), this));
        _features.Add(new(typeof(IHttpRequestBodyDetectionFeature), this));
        _features.Add(new(typeof(IHttpMaxRequestBodySizeFeature), this));
        _features.Add(new(typeof(IHttpBodyControlFeature), this));
        _features.Add(new(typeof(IHttpResponseTrailersFeature), this));
        _features.Add(new(typeof(IHttpUpgradeFeature), this));
        if (Exchange.IsTls)
        {
            _features.Add(new(typeof(ITlsConnectionFeature), this));
        }

        ResetRequest();
        ResetResponse();
    }
}
