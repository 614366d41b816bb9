namespace LocalCdn.Dns;

/// <summary>What GeoDNS answered for one client subnet.</summary>
/// <param name="Subnet">The EDNS Client Subnet sent.</param>
/// <param name="Addresses">The A records (edge addresses), in answer order.</param>
/// <param name="AnswerLines">dig's answer section as printed.</param>
public sealed record GeoDnsAnswer(string Subnet, IReadOnlyList<string> Addresses, IReadOnlyList<string> AnswerLines);
