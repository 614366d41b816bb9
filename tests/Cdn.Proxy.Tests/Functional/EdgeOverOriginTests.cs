namespace Cdn.Proxy.Tests.Functional;

/// <summary>Tests of one edge (with <paramref name="settings"/>, HTTPS when <paramref name="https"/>) in front of one test origin, both fresh per test.</summary>
public abstract class EdgeOverOriginTests(string directoryName, Dictionary<string, string?>? settings = null, bool https = false) : IAsyncLifetime
{
    protected TempDirectory Dir { get; } = new(directoryName);

    protected TestOrigin Origin { get; private set; } = null!;

    protected TestEdge Edge { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Origin = await TestOrigin.StartAsync();
        Edge = await TestEdge.StartAsync(Dir.Path, [Origin.Url], settings, https: https);
    }

    public async Task DisposeAsync()
    {
        await Edge.DisposeAsync();
        await Origin.DisposeAsync();
        Dir.Dispose();
    }
}
