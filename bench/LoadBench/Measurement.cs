namespace LoadBench;

/// <summary>One server's numbers for one workload run.</summary>
internal sealed record Measurement(string Workload, string Protocol, string Server, WrkResult Wrk, double CpuSeconds, long RssBytes)
{
    public double CpuMicrosPerRequest => Wrk.Requests == 0 ? double.NaN : CpuSeconds / Wrk.Requests * 1e6;

    public double CpuSecondsPerGb => Wrk.Bytes == 0 ? double.NaN : CpuSeconds / (Wrk.Bytes / 1e9);
}
