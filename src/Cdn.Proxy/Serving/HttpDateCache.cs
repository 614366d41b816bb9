using System.Text;
using Cdn.Proxy.Http;

namespace Cdn.Proxy.Serving;

/// <summary>The Date header value, formatted once per second rather than per response (as Kestrel does).</summary>
public sealed class HttpDateCache : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private byte[] _value = [];
    private string _text = "";

    /// <summary>Starts the refresh timer on <paramref name="time"/>.</summary>
    public HttpDateCache(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        Refresh();
        _timer = time.CreateTimer(_ => Refresh(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Current IMF-fixdate as bytes.</summary>
    public byte[] Bytes => Volatile.Read(ref _value);

    /// <summary>Current IMF-fixdate as text.</summary>
    public string Text => Volatile.Read(ref _text);

    private void Refresh()
    {
        var text = HttpDates.Format(_time.GetUtcNow());
        Volatile.Write(ref _text, text);
        Volatile.Write(ref _value, Encoding.ASCII.GetBytes(text));
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();
}
