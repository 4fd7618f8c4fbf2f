using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace GatewayServer.Gateway;

/// <summary>
/// The environ an application receives. Most applications read a handful of keys or none, so
/// nothing is built until the first access: then <see cref="EnvironBuilder"/> fills an ordinary
/// dictionary from the parsed request, and every operation goes to it. One instance serves all
/// requests of a connection and is cleared between them; it is valid only during its request.
/// </summary>
internal sealed class GatewayEnviron : IDictionary<string, object?>
{
    private Dictionary<string, object?>? _values;
    private readonly EnvironBuilder _builder;
    private bool _materialized;

    public GatewayEnviron(EnvironBuilder builder)
    {
        _builder = builder;
    }

    public int Count => Values().Count;

    public bool IsReadOnly => false;

    public ICollection<string> Keys => Values().Keys;

    ICollection<object?> IDictionary<string, object?>.Values => Values().Values;

    public object? this[string key]
    {
        get => Values()[key];
        set => Values()[key] = value;
    }

    /// <summary>Forgets the previous request's values; the next access builds the new ones.</summary>
    public void Reset()
    {
        if (_materialized)
        {
            // Idle connections should not hold a request's worth of strings.
            _values = null;
            _materialized = false;
        }
    }

    public void Add(string key, object? value) => Values().Add(key, value);

    public void Add(KeyValuePair<string, object?> item) => Values().Add(item.Key, item.Value);

    public bool ContainsKey(string key) => Values().ContainsKey(key);

    public bool Contains(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)Values()).Contains(item);

    public bool Remove(string key) => Values().Remove(key);

    public bool Remove(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)Values()).Remove(item);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => Values().TryGetValue(key, out value);

    public void Clear() => Values().Clear();

    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) =>
        ((ICollection<KeyValuePair<string, object?>>)Values()).CopyTo(array, arrayIndex);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Values().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Dictionary<string, object?> Values()
    {
        if (!_materialized)
        {
            _materialized = true;
            _values = new Dictionary<string, object?>(32, StringComparer.Ordinal);
            _builder.Build(_values);
        }

        return _values!;
    }
}
