using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cdn.Hosting.Tests.Configuration;

public sealed class OptionsValidationTests
{
    private static IConfigurationRoot Config(Dictionary<string, string?> values)
        => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void Every_bad_field_is_reported_with_its_configuration_path()
    {
        var config = Config(new()
        {
            ["Edge:Port"] = "0",
            ["Edge:Name"] = "",
            ["Edge:Volumes:0:Path"] = "/cache/a",
            ["Edge:Volumes:0:CapacityBytes"] = "0",
            ["Edge:Volumes:1:CapacityBytes"] = "5",
        });
        var services = new ServiceCollection().AddLogging();
        services.AddValidatedOptions<SampleOptions>(config, "Edge");
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SampleOptions>>().Value);

        Assert.Contains("Edge:Port: must be between 1 and 65535, got 0", ex.Failures);
        Assert.Contains("Edge:Name: must be set", ex.Failures);
        Assert.Contains(ex.Failures, f => f.StartsWith("Edge:Volumes:0:CapacityBytes:", StringComparison.Ordinal));
        Assert.Contains("Edge:Volumes:1:Path: must be set", ex.Failures);
        Assert.Equal(4, ex.Failures.Count());
    }

    [Fact]
    public void A_misspelt_key_is_an_error_naming_the_valid_keys()
    {
        var config = Config(new() { ["Edge:Prot"] = "80", ["Edge:Volumes:0:Pth"] = "/x", ["Edge:Volumes:0:Path"] = "/x", ["Edge:Volumes:0:CapacityBytes"] = "1" });
        var services = new ServiceCollection().AddLogging();
        services.AddValidatedOptions<SampleOptions>(config, "Edge");
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SampleOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.StartsWith("Edge:Prot: unknown setting (valid here: Port, Name, Volumes)", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Edge:Volumes:0:Pth: unknown setting", StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_settings_bind()
    {
        var config = Config(new() { ["Edge:Port"] = "443", ["Edge:Volumes:0:Path"] = "/cache/a", ["Edge:Volumes:0:CapacityBytes"] = "1000" });
        var services = new ServiceCollection().AddLogging();
        services.AddValidatedOptions<SampleOptions>(config, "Edge");
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SampleOptions>>().Value;

        Assert.Equal(443, options.Port);
        Assert.Equal(1000, options.Volumes[0].CapacityBytes);
    }

    [Fact]
    public void An_invalid_reload_keeps_the_previous_snapshot_and_a_valid_one_replaces_it()
    {
        var config = Config(new() { ["Edge:Port"] = "8080" });
        using var live = new LiveOptions<SampleOptions>(config, "Edge", NullLogger<LiveOptions<SampleOptions>>.Instance);
        var changes = 0;
        live.Changed += _ => changes++;

        config["Edge:Port"] = "70000";
        config.Reload();
        Assert.Equal(8080, live.Current.Port);
        Assert.Equal(0, changes);

        config["Edge:Port"] = "9090";
        config.Reload();
        Assert.Equal(9090, live.Current.Port);
        Assert.Equal(1, changes);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_rejected_on_reload_not_thrown()
    {
        var config = Config(new() { ["Edge:Port"] = "8080" });
        using var live = new LiveOptions<SampleOptions>(config, "Edge", NullLogger<LiveOptions<SampleOptions>>.Instance);

        config["Edge:Port"] = "eighty";

        Assert.False(live.Reload());
        Assert.Equal(8080, live.Current.Port);
    }
}
