namespace Cdn.SystemTests.Titles;

/// <summary>
/// Tests that play the packaged title: packaged once per run and shared; the collection runs its tests one
/// after another (each starts daemons and a browser on a 2-core machine).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackagedTitleCollection : ICollectionFixture<PackagedTitle>
{
    /// <summary>The collection name for <c>[Collection(PackagedTitleCollection.Name)]</c>.</summary>
    public const string Name = "packaged title";
}
