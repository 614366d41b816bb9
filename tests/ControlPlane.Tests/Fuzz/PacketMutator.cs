using Cdn.ControlPlane.Dns.Wire;
using Cdn.ControlPlane.Tests.Support;

namespace Cdn.ControlPlane.Tests.Fuzz;

/// <summary>Random and mutated DNS packets from a seeded generator (a failure names its seed and packet).</summary>
internal sealed class PacketMutator
{
    private static readonly string[] Names = ["video.cdn.test", "ViDeO.CDN.TEST", "cdn.test", "ns1.cdn.test", "nope.cdn.test", "a.b.c.video.cdn.test", "example.com", "deep.cdn.test", "a.deep.cdn.test", ""];
    private static readonly ushort[] Types = [DnsRecordType.A, DnsRecordType.Aaaa, DnsRecordType.Ns, DnsRecordType.Soa, DnsRecordType.Any, DnsRecordType.Axfr, DnsRecordType.Ixfr, 15, 16, 0, 65535];
    private readonly Random _random;

    public PacketMutator(int seed) => _random = new Random(seed);

    public byte[] Next()
    {
        return _random.Next(10) switch
        {
            0 => RandomBytes(),
            1 => HeaderThenGarbage(),
            2 or 3 => Valid(),
            _ => Mutate(Valid()),
        };
    }

    public byte[] Valid()
    {
        var name = Names[_random.Next(Names.Length)];
        var type = Types[_random.Next(Types.Length)];
        var id = (ushort)_random.Next(65536);
        return _random.Next(4) switch
        {
            0 => DnsQueryBuilder.Query(name, type, id),
            1 => DnsQueryBuilder.Query(name, type, id, edns: true, payload: (ushort)_random.Next(65536), version: (byte)(_random.Next(8) == 0 ? 1 : 0), dnssecOk: _random.Next(2) == 0),
            2 => DnsQueryBuilder.Query(name, type, id, subnet: RandomSubnet(), scope: (byte)(_random.Next(10) == 0 ? _random.Next(256) : 0)),
            _ => DnsQueryBuilder.Query(name, type, id, subnet: DnsQueryBuilder.Subnet6("2001:db8:1::", (byte)_random.Next(0, 129)) is var (f, s, a) ? (f, s, Masked(a, s)) : null),
        };
    }

    private static byte[] Masked(byte[] address, byte source)
    {
        var copy = (byte[])address.Clone();
        if (source % 8 != 0 && copy.Length > 0)
        {
            copy[^1] &= (byte)(0xFF << (8 - (source % 8)));
        }

        return copy;
    }

    private (ushort, byte, byte[]) RandomSubnet()
    {
        var family = (ushort)(_random.Next(10) == 0 ? _random.Next(4) : 1);
        var source = (byte)(_random.Next(10) == 0 ? _random.Next(256) : _random.Next(33));
        var length = _random.Next(10) == 0 ? _random.Next(20) : (source + 7) / 8;
        var address = new byte[length];
        _random.NextBytes(address);
        return (family, source, address);
    }

    private byte[] RandomBytes()
    {
        var bytes = new byte[_random.Next(0, 600)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] HeaderThenGarbage()
    {
        var bytes = RandomBytes();
        if (bytes.Length >= 12)
        {
            bytes[2] &= 0x07; // a query, opcode 0
            bytes[4] = 0;
            bytes[5] = 1;
            bytes[6] = bytes[7] = bytes[8] = bytes[9] = 0;
            bytes[10] = 0;
            bytes[11] = (byte)_random.Next(3);
        }

        return bytes;
    }

    private byte[] Mutate(byte[] packet)
    {
        var list = new List<byte>(packet);
        var rounds = _random.Next(1, 5);
        for (var r = 0; r < rounds && list.Count > 0; r++)
        {
            var at = _random.Next(list.Count);
            switch (_random.Next(8))
            {
                case 0:
                    list[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1:
                    list[at] = (byte)_random.Next(256);
                    break;
                case 2:
                    list.RemoveRange(at, list.Count - at); // truncate
                    break;
                case 3:
                    list.Insert(at, (byte)_random.Next(256));
                    break;
                case 4:
                    // a compression pointer somewhere, often at or past itself
                    list[at] = (byte)(0xC0 | _random.Next(64));
                    if (at + 1 < list.Count)
                    {
                        list[at + 1] = (byte)_random.Next(256);
                    }

                    break;
                case 5:
                    if (list.Count >= 12)
                    {
                        list[4 + (2 * _random.Next(4)) + 1] = (byte)_random.Next(4); // section counts
                    }

                    break;
                case 6:
                    list.RemoveAt(at);
                    break;
                default:
                    if (list.Count > 13)
                    {
                        list[12] = (byte)_random.Next(256); // first label length
                    }

                    break;
            }
        }

        return [.. list];
    }
}
