using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cdn.Hosting.Configuration;

/// <summary>Registration of validated settings sections.</summary>
public static class OptionsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to the section at <paramref name="path"/>, validates it (every error, with
    /// its path, plus unknown keys) when the host starts, and registers a <see cref="LiveOptions{T}"/> for
    /// components that follow reloads.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string path)
        where T : class, IValidatableOptions, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(path);
        services.AddSingleton<IValidateOptions<T>>(new ValidatableOptionsValidator<T>(section, path));
        services.AddOptions<T>().Bind(section).ValidateOnStart();
        services.AddSingleton(sp => new LiveOptions<T>(configuration, path, sp.GetRequiredService<ILogger<LiveOptions<T>>>()));
        return services;
    }
}
