using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;

namespace Cdn.Proxy.Tls;

/// <summary>
/// An <see cref="SslStream"/> as the duplex pipe Kestrel's HTTP/2 stack reads and writes. Output goes through a
/// pipe that pauses the writer until each write reached the stream (as Kestrel's own TLS adapter does: its
/// HTTP/2 code assumes a flush completes only when the bytes are written out).
/// </summary>
internal sealed class SslDuplexPipe : IDuplexPipe, IAsyncDisposable
{
    private readonly System.Net.Security.SslStream _stream;
    private readonly Pipe _output;
    private readonly ILogger _logger;
    private readonly Task _copy;

    public SslDuplexPipe(System.Net.Security.SslStream stream, MemoryPool<byte> pool, ILogger logger)
    {
        _stream = stream;
        _logger = logger;
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(pool, leaveOpen: true));
        _output = new Pipe(new PipeOptions(pool, PipeScheduler.Inline, PipeScheduler.Inline, pauseWriterThreshold: 1, resumeWriterThreshold: 1, useSynchronizationContext: false));
        _copy = CopyOutputAsync();
    }

    public PipeReader Input { get; }

    public PipeWriter Output => _output.Writer;

    private async Task CopyOutputAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                try
                {
                    if (buffer.IsEmpty)
                    {
                        if (result.IsCompleted)
                        {
                            break;
                        }

                        await _stream.FlushAsync();
                    }
                    else
                    {
                        foreach (var segment in buffer)
                        {
                            await _stream.WriteAsync(segment);
                        }
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            ProxyLog.TlsWriteFailed(_logger, ex.Message);
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync();
        await _output.Writer.CompleteAsync();
        await _copy;
    }
}
