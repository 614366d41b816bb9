namespace Packaging.Tests.Support;

/// <summary>
/// Tests that use the built packages. They share one build (the fixture) and run one at a time: the ones
/// that install change this machine's dpkg database, users and /etc.
/// </summary>
[CollectionDefinition(nameof(DpkgCollection), DisableParallelization = true)]
public sealed class DpkgCollection : ICollectionFixture<DebPackages>;
