namespace LoadBench.Servers;

/// <summary>A cache under test, running as real processes pinned to the server core.</summary>
internal interface IServerUnderTest : IAsyncDisposable
{
    /// <summary>Short name for the report ("edgenode", "nginx").</summary>
    string Name { get; }

    /// <summary>Cleartext port.</summary>
    int HttpPort { get; }

    /// <summary>TLS port.</summary>
    int HttpsPort { get; }

    /// <summary>Every process whose CPU time counts as the server's (a master and its workers).</summary>
    IReadOnlyList<int> Processes();

    /// <summary>Starts and waits until it answers.</summary>
    Task StartAsync();
}
