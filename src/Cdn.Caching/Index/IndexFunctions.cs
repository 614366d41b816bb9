using FASTER.core;

namespace Cdn.Caching.Index;

/// <summary>
/// FASTER callbacks for the index: values are <see cref="SpanByte"/>s holding a <see cref="CacheEntryCodec"/>
/// record; reads decode straight into a <see cref="CacheEntry"/> (no intermediate copy, works for records
/// read back from disk too).
/// </summary>
internal sealed class IndexFunctions : SpanByteFunctions<long, CacheEntry?, Empty>
{
    public override bool SingleReader(ref long key, ref SpanByte input, ref SpanByte value, ref CacheEntry? dst, ref ReadInfo readInfo)
    {
        dst = CacheEntryCodec.Read(value.AsReadOnlySpan());
        return true;
    }

    public override bool ConcurrentReader(ref long key, ref SpanByte input, ref SpanByte value, ref CacheEntry? dst, ref ReadInfo readInfo)
    {
        dst = CacheEntryCodec.Read(value.AsReadOnlySpan());
        return true;
    }
}
