namespace Cdn.ControlPlane.Steering;

/// <summary>Where the addresses of an answer came from, in the order they are tried.</summary>
internal enum SelectionSource
{
    /// <summary>Edges of the client's site or of a site in its fallback order.</summary>
    Site,

    /// <summary>No edge in the fallback order was routable: the shields.</summary>
    Shields,

    /// <summary>No shield either: edges of a site outside the fallback order.</summary>
    OtherSite,

    /// <summary>Nothing registered was routable: the configured last-resort addresses.</summary>
    LastResort,

    /// <summary>Nothing at all for this address family.</summary>
    None,
}
