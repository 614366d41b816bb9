using System.Buffers.Binary;
using Cdn.ControlPlane.CoverageZones;
using Cdn.ControlPlane.Dns.Wire;
using Cdn.ControlPlane.Steering;

namespace Cdn.ControlPlane.Dns;

/// <summary>
/// Turns one query into one reply, in caller-provided buffers, without allocating: parse, look the name up
/// in the zone set, locate the client (ECS or resolver address → coverage zone → site) and copy the
/// pre-encoded answers of the current view. Thread-safe: it reads two immutable snapshots (zones, view)
/// once per packet; per-thread state lives in the <see cref="DnsWorker"/>.
/// </summary>
internal sealed class DnsResponder
{
    /// <summary>Big enough for any reply we build (64 AAAA + SOA + OPT is under 2 KiB); TCP's cap is 65535.</summary>
    public const int MaxMessage = 65535;

    private readonly SteeringState _steering;
    private DnsZoneSet _zones;
    private int _udpPayloadSize;

    public DnsResponder(DnsZoneSet zones, SteeringState steering, int udpPayloadSize)
    {
        _zones = zones;
        _steering = steering;
        _udpPayloadSize = udpPayloadSize;
    }

    public DnsZoneSet Zones => Volatile.Read(ref _zones);

    /// <summary>Replaces the zones and payload size after a configuration reload.</summary>
    public void Publish(DnsZoneSet zones, int udpPayloadSize)
    {
        Volatile.Write(ref _zones, zones);
        Volatile.Write(ref _udpPayloadSize, udpPayloadSize);
    }

    /// <summary>Writes the reply to <paramref name="query"/>; returns its length, or 0 to send nothing.</summary>
    public int Respond(ReadOnlySpan<byte> query, Span<byte> response, in ClientAddress client, DnsTransport transport, DnsWorker worker)
    {
        Span<byte> original = stackalloc byte[DnsName.MaxLength];
        Span<byte> lower = stackalloc byte[DnsName.MaxLength];
        var status = DnsQueryParser.Parse(query, original, lower, out var q);
        var counters = worker.Counters;
        switch (status)
        {
            case DnsParseStatus.Drop:
                counters.CountDropped();
                return 0;
            case DnsParseStatus.NotImplemented:
                counters.CountQuery(transport, (int)DnsResponseCode.NotImp, 0);
                return Error(query, response, q, DnsResponseCode.NotImp, withQuestion: false, original, Volatile.Read(ref _udpPayloadSize));
            case DnsParseStatus.FormatError:
                counters.CountQuery(transport, (int)DnsResponseCode.FormErr, 0);
                return Error(query, response, q, DnsResponseCode.FormErr, withQuestion: false, original, Volatile.Read(ref _udpPayloadSize));
        }

        if (q.HasClientSubnet)
        {
            counters.CountClientSubnet();
        }

        if (q.HasEdns && q.EdnsVersion != 0)
        {
            counters.CountQuery(transport, (int)DnsResponseCode.BadVers, q.Type);
            return Error(query, response, q, DnsResponseCode.BadVers, withQuestion: true, original, Volatile.Read(ref _udpPayloadSize));
        }

        var payload = Volatile.Read(ref _udpPayloadSize);
        var limit = transport == DnsTransport.Tcp
            ? MaxMessage
            : q.HasEdns ? Math.Min((int)q.EdnsPayloadSize, payload) : 512;
        limit = Math.Min(limit, response.Length);

        var name = lower[..q.NameLength];
        var zones = Volatile.Read(ref _zones);
        if (q.Class != DnsClass.In && q.Class != DnsClass.Any)
        {
            counters.CountQuery(transport, (int)DnsResponseCode.Refused, q.Type);
            return Error(query, response, q, DnsResponseCode.Refused, withQuestion: true, original, payload);
        }

        if (!zones.TryGetName(name, out var entry))
        {
            var zone = zones.FindZone(name, out var apexOffset);
            if (zone is null || q.Type is DnsRecordType.Axfr or DnsRecordType.Ixfr)
            {
                counters.CountQuery(transport, (int)DnsResponseCode.Refused, q.Type);
                return Error(query, response, q, DnsResponseCode.Refused, withQuestion: true, original, payload);
            }

            counters.CountQuery(transport, (int)DnsResponseCode.NxDomain, q.Type);
            return Negative(query, response, q, original, zone, apexOffset, DnsResponseCode.NxDomain, limit, payload, counters);
        }

        var apex = q.NameLength - entry.Zone.Apex.Length;
        if (q.Type is DnsRecordType.Axfr or DnsRecordType.Ixfr)
        {
            // Zone transfers are not offered: the zone's content is computed per client.
            counters.CountQuery(transport, (int)DnsResponseCode.Refused, q.Type);
            return Error(query, response, q, DnsResponseCode.Refused, withQuestion: true, original, payload);
        }

        var writer = new ReplyWriter(response, limit, payload);
        writer.Question(original[..q.NameLength], q.Type, q.Class);
        byte scope = 0;
        var answers = 0;
        var authority = 0;
        var additional = 0;
        if (entry.Is(DnsNameKind.Steered) && q.Type is DnsRecordType.A or DnsRecordType.Aaaa or DnsRecordType.Any)
        {
            var view = _steering.Current;
            var match = Locate(view, client, q);
            scope = (byte)match.Scope;
            var slot = view.SlotFor(match);
            if (q.Type != DnsRecordType.Aaaa)
            {
                answers += Steered(ref writer, view.IPv4[slot], worker);
            }

            if (q.Type != DnsRecordType.A)
            {
                answers += Steered(ref writer, view.IPv6[slot], worker);
            }
        }
        else if (entry.Is(DnsNameKind.Apex) && q.Type is DnsRecordType.Soa or DnsRecordType.Any)
        {
            writer.Pointer(DnsHeader.PointerToQuestion);
            writer.Bytes(entry.Zone.SoaAnswer);
            answers++;
            if (q.Type == DnsRecordType.Any)
            {
                writer.Bytes(entry.Zone.NameServers.Bytes);
                answers += entry.Zone.NameServers.Count;
            }
        }
        else if (entry.Is(DnsNameKind.Apex) && q.Type == DnsRecordType.Ns)
        {
            writer.Bytes(entry.Zone.NameServers.Bytes);
            answers += entry.Zone.NameServers.Count;

            // Glue is optional (RFC 2181 §9): leave it out rather than truncate when it does not fit.
            if (writer.Position + entry.Zone.Glue.Bytes.Length + OptLength(q) <= limit)
            {
                writer.Bytes(entry.Zone.Glue.Bytes);
                additional += entry.Zone.Glue.Count;
            }
        }
        else if (entry.Is(DnsNameKind.NameServer) && q.Type is DnsRecordType.A or DnsRecordType.Aaaa or DnsRecordType.Any)
        {
            if (q.Type != DnsRecordType.Aaaa)
            {
                writer.Bytes(entry.StaticA.Bytes);
                answers += entry.StaticA.Count;
            }

            if (q.Type != DnsRecordType.A)
            {
                writer.Bytes(entry.StaticAaaa.Bytes);
                answers += entry.StaticAaaa.Count;
            }
        }

        if (answers == 0)
        {
            writer.Pointer((ushort)(0xC000 | (DnsHeader.Length + apex)));
            writer.Bytes(entry.Zone.SoaNegative);
            authority = 1;
        }

        var truncated = false;
        if (q.HasEdns)
        {
            writer.Opt(q, scope, code: 0);
            additional++;
        }

        if (writer.Overflow)
        {
            // Does not fit: header, question and OPT only, with TC so the resolver retries over TCP.
            truncated = true;
            counters.CountTruncated();
            writer = new ReplyWriter(response, limit, payload);
            writer.Question(original[..q.NameLength], q.Type, q.Class);
            answers = authority = additional = 0;
            if (q.HasEdns)
            {
                writer.Opt(q, scope, code: 0);
                additional = 1;
            }
        }

        counters.CountQuery(transport, 0, q.Type);
        DnsHeader.WriteReply(response, query, 0, authoritative: true, truncated, DnsResponseCode.NoError, 1, answers, authority, additional);
        return writer.Position;
    }

    /// <summary>The coverage-zone match for the client: ECS when the query has it, else the resolver's address.</summary>
    private static PrefixMatch Locate(SteeringView view, in ClientAddress client, in DnsQuery q)
    {
        if (q.HasClientSubnet)
        {
            var subnet = q.ClientSubnet;
            return subnet.IsIPv6
                ? view.Zones.IPv6.Lookup(subnet.Address, subnet.SourcePrefix)
                : view.Zones.IPv4.Lookup(subnet.Address, subnet.SourcePrefix);
        }

        return client.IsIPv6 ? view.Zones.IPv6.Lookup(client.Bits, 128) : view.Zones.IPv4.Lookup(client.Bits, 32);
    }

    private static int Steered(ref ReplyWriter writer, AnswerSet set, DnsWorker worker)
    {
        if (set.IsEmpty)
        {
            return 0;
        }

        var rotation = worker.Rotation++;
        writer.Bytes(set.Pick(rotation));
        worker.Counters.CountAnswer(set.SourceIndex);
        return set.RecordCount;
    }

    private static int Negative(ReadOnlySpan<byte> query, Span<byte> response, in DnsQuery q, ReadOnlySpan<byte> original, DnsZone zone, int apexOffset, DnsResponseCode code, int limit, int payload, DnsCounters counters)
    {
        var writer = new ReplyWriter(response, limit, payload);
        writer.Question(original[..q.NameLength], q.Type, q.Class);
        writer.Pointer((ushort)(0xC000 | (DnsHeader.Length + apexOffset)));
        writer.Bytes(zone.SoaNegative);
        var authority = 1;
        if (q.HasEdns)
        {
            writer.Opt(q, 0, code: 0);
        }

        var truncated = false;
        if (writer.Overflow)
        {
            truncated = true;
            counters.CountTruncated();
            writer = new ReplyWriter(response, limit, payload);
            writer.Question(original[..q.NameLength], q.Type, q.Class);
            authority = 0;
            if (q.HasEdns)
            {
                writer.Opt(q, 0, code: 0);
            }
        }

        DnsHeader.WriteReply(response, query, 0, authoritative: true, truncated, code, 1, 0, authority, q.HasEdns ? 1 : 0);
        return writer.Position;
    }

    private static int Error(ReadOnlySpan<byte> query, Span<byte> response, in DnsQuery q, DnsResponseCode code, bool withQuestion, ReadOnlySpan<byte> original, int payload)
    {
        if (response.Length < DnsHeader.Length)
        {
            return 0;
        }

        var writer = new ReplyWriter(response, response.Length, payload);
        if (withQuestion)
        {
            writer.Question(original[..q.NameLength], q.Type, q.Class);
        }

        var edns = q.HasEdns && code != DnsResponseCode.NotImp;
        if (edns)
        {
            // The reply carries OPT when the query did (RFC 6891 §7); never ECS on an error.
            writer.Opt(q, 0, code, withSubnet: false);
        }

        if (writer.Overflow)
        {
            return 0;
        }

        var authoritative = code == DnsResponseCode.BadVers;
        DnsHeader.WriteReply(response, query, q.Opcode, authoritative, false, code, withQuestion ? 1 : 0, 0, 0, edns ? 1 : 0);
        return writer.Position;
    }

    private static int OptLength(in DnsQuery q) => !q.HasEdns ? 0 : 11 + (q.HasClientSubnet ? 4 + q.ClientSubnet.DataLength : 0);

    /// <summary>Appends to the reply buffer, never past <c>limit</c>: a write that would is dropped and flags overflow.</summary>
    private ref struct ReplyWriter
    {
        private readonly Span<byte> _buffer;
        private readonly int _limit;
        private readonly ushort _payload;

        public ReplyWriter(Span<byte> buffer, int limit, int payload)
        {
            _buffer = buffer;
            _limit = Math.Min(limit, buffer.Length);
            _payload = (ushort)payload;
            Position = DnsHeader.Length;
        }

        public int Position { get; private set; }

        public bool Overflow { get; private set; }

        public void Bytes(scoped ReadOnlySpan<byte> bytes)
        {
            if (Position + bytes.Length > _limit)
            {
                Overflow = true;
                return;
            }

            bytes.CopyTo(_buffer[Position..]);
            Position += bytes.Length;
        }

        public void Pointer(ushort pointer)
        {
            if (Position + 2 > _limit)
            {
                Overflow = true;
                return;
            }

            BinaryPrimitives.WriteUInt16BigEndian(_buffer[Position..], pointer);
            Position += 2;
        }

        public void Question(scoped ReadOnlySpan<byte> name, ushort type, ushort @class)
        {
            Bytes(name);
            if (Position + 4 > _limit)
            {
                Overflow = true;
                return;
            }

            BinaryPrimitives.WriteUInt16BigEndian(_buffer[Position..], type);
            BinaryPrimitives.WriteUInt16BigEndian(_buffer[(Position + 2)..], @class);
            Position += 4;
        }

        /// <summary>OPT (RFC 6891 §6.1.2): our payload size, extended code, DO echoed, ECS echoed with the scope when asked.</summary>
        public void Opt(in DnsQuery q, byte scope, DnsResponseCode code, bool withSubnet = true)
        {
            var subnet = withSubnet && q.HasClientSubnet;
            var rdLength = subnet ? 4 + q.ClientSubnet.DataLength : 0;
            if (Position + 11 + rdLength > _limit)
            {
                Overflow = true;
                return;
            }

            var o = _buffer[Position..];
            o[0] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(o[1..], DnsRecordType.Opt);
            BinaryPrimitives.WriteUInt16BigEndian(o[3..], _payload);
            o[5] = (byte)((int)code >> 4);
            o[6] = 0;
            o[7] = q.DnssecOk ? (byte)0x80 : (byte)0;
            o[8] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(o[9..], (ushort)rdLength);
            if (subnet)
            {
                var s = q.ClientSubnet;
                BinaryPrimitives.WriteUInt16BigEndian(o[11..], ClientSubnet.OptionCode);
                BinaryPrimitives.WriteUInt16BigEndian(o[13..], (ushort)s.DataLength);
                BinaryPrimitives.WriteUInt16BigEndian(o[15..], s.Family);
                o[17] = s.SourcePrefix;
                o[18] = scope;
                Span<byte> address = stackalloc byte[16];
                BinaryPrimitives.WriteUInt128BigEndian(address, s.Address);
                address[..s.AddressLength].CopyTo(o[19..]);
            }

            Position += 11 + rdLength;
        }
    }
}
