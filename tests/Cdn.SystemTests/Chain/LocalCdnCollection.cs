namespace Cdn.SystemTests.Chain;

/// <summary>Tests on the main job's chain: started once per run and shared; its tests run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class LocalCdnCollection : ICollectionFixture<LocalCdnFixture>
{
    /// <summary>The collection name for <c>[Collection(LocalCdnCollection.Name)]</c>.</summary>
    public const string Name = "local cdn";
}
