using Cdn.Hosting.Configuration;

namespace Cdn.Proxy.Serving;

/// <summary>CORS for browser players (hls.js, Shaka): which page origins may read responses.</summary>
public sealed class CorsOptions : IValidatableOptions
{
    /// <summary>Whether CORS headers are sent at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Allowed page origins; <c>*</c> (the default when none are listed) allows any: public video needs no credentials.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>How long browsers may cache a preflight answer.</summary>
    public TimeSpan PreflightMaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        for (var i = 0; i < AllowedOrigins.Count; i++)
        {
            var origin = AllowedOrigins[i];
            errors.Require(origin == "*" || Uri.TryCreate(origin, UriKind.Absolute, out _), OptionsErrors.Path(path, $"{nameof(AllowedOrigins)}:{i}"),
                $"'{origin}' is neither * nor an origin like https://player.example");
        }

        errors.InRange(PreflightMaxAge, TimeSpan.Zero, TimeSpan.FromDays(7), OptionsErrors.Path(path, nameof(PreflightMaxAge)));
    }
}
