using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cdn.Hosting;

/// <summary>
/// Names Kestrel listeners so a request can be told apart by the socket it arrived on, not by its Host header
/// (which a client controls): admin routes answer only on the admin listener, the cache only on public ones.
/// </summary>
public static class Listeners
{
    private const string ItemKey = "cdn.listener";

    /// <summary>Listener name of the admin API (metrics, health, purge, control).</summary>
    public const string Admin = "admin";

    /// <summary>Tags every connection accepted by this listener with <paramref name="name"/>.</summary>
    public static ListenOptions Named(this ListenOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Use(next => connection =>
        {
            connection.Items[ItemKey] = name;
            return next(connection);
        });
        return options;
    }

    /// <summary>The name of the listener the request arrived on, or null.</summary>
    public static string? ListenerName(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        return items is not null && items.TryGetValue(ItemKey, out var name) ? name as string : null;
    }

    /// <summary>Runs <paramref name="configure"/>'s pipeline for requests on the named listener only.</summary>
    public static IApplicationBuilder MapListener(this IApplicationBuilder app, string name, Action<IApplicationBuilder> configure)
        => app.MapWhen(ctx => string.Equals(ctx.ListenerName(), name, StringComparison.Ordinal), configure);
}
