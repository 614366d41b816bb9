namespace LocalCdn.Chain;

/// <summary>A site of the local CDN: its coverage zone (the client networks GeoDNS maps to it) and one edge.</summary>
/// <param name="Name">Site and coverage-zone name (<c>ams</c>).</param>
/// <param name="Location">Where it would be.</param>
/// <param name="ClientNetwork">The coverage zone's prefix (<c>10.1.0.0/16</c>).</param>
/// <param name="ProbeSubnet">A client subnet inside it, sent as EDNS Client Subnet to ask GeoDNS (<c>10.1.0.0/24</c>).</param>
public sealed record SiteTopology(string Name, string Location, string ClientNetwork, string ProbeSubnet);
