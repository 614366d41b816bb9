using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Packager.Publishing;

/// <summary>Creates the origin root, the staging and work directories at start, so a missing one fails the start, not the first job.</summary>
internal sealed class OriginRootPreparer : IHostedService
{
    private readonly OriginPublisher _publisher;
    private readonly PackagerOptions _options;

    public OriginRootPreparer(OriginPublisher publisher, IOptions<PackagerOptions> options)
    {
        _publisher = publisher;
        _options = options.Value;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_publisher.OriginRoot);
        Directory.CreateDirectory(_publisher.StagingRoot);
        Directory.CreateDirectory(_options.EffectiveWorkDirectory);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
