using System.Net;
using System.Net.Sockets;
using Cdn.Contracts;
using Cdn.Contracts.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cdn.Proxy.Tests.Functional;

/// <summary>
/// What a stopping node does, in order (systemd's SIGTERM, a package upgrade's restart): the control plane
/// hears that it drains while it still serves, then the listeners stop accepting, the response in flight
/// finishes, and the index is checkpointed so the restarted node still has what it cached.
/// </summary>
public sealed class GracefulStopTests
{
    private const string NodeId = "edge-test";

    [Fact]
    public async Task A_stopping_edge_announces_draining_while_it_serves_then_finishes_in_flight_responses_and_keeps_its_cache()
    {
        using var dir = new TempDirectory("drain");
        await using var origin = await TestOrigin.StartAsync();
        var hot = TestOrigin.Bytes(64 * 1024, 1);
        origin.Serve("/hot.m4s", hot, ("Cache-Control", "max-age=3600"));
        var slow = TestOrigin.Bytes(512 * 1024, 2);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        origin.ServeHeldBack("/slow.m4s", slow, 64 * 1024, release.Task, ("Cache-Control", "max-age=3600"));

        // A control plane that, when the draining heartbeat arrives, checks whether the edge still serves.
        TestEdge? edge = null;
        var heartbeats = 0;
        var servedWhileAnnouncing = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var controlPlane = await TestOrigin.StartAsync();
        controlPlane.Route(ControlPlaneRoutes.Nodes, async context =>
            await context.Response.WriteAsJsonAsync(new NodeRegistrationAccepted(NodeId, TimeSpan.FromMilliseconds(200)), CdnJson.Default.NodeRegistrationAccepted));
        controlPlane.Route(ControlPlaneRoutes.Heartbeat.Replace("{id}", NodeId, StringComparison.Ordinal), async context =>
        {
            var heartbeat = await context.Request.ReadFromJsonAsync(CdnJson.Default.NodeHeartbeat);
            if (heartbeat!.Draining)
            {
                servedWhileAnnouncing.TrySetResult(await ServesOnNewConnectionAsync(edge!.HttpPort, "/hot.m4s", hot));
            }
            else
            {
                Interlocked.Increment(ref heartbeats);
            }

            await context.Response.WriteAsJsonAsync(new HeartbeatAccepted(NodeState.Up, 0), CdnJson.Default.HeartbeatAccepted);
        });

        edge = await TestEdge.StartAsync(dir.Path, [origin.Url], new Dictionary<string, string?>
        {
            ["Edge:ControlPlane:Url"] = controlPlane.Url + "/",
            ["Edge:ControlPlane:Token"] = "control-plane-token-0123456789",
            ["Edge:ControlPlane:Addresses:0"] = "127.0.0.1",
            ["Edge:ControlPlane:HeartbeatInterval"] = "00:00:00.200",
            ["Edge:DrainTimeout"] = "00:00:30",
        });
        Task? stopping = null;
        try
        {
            Assert.Equal(hot, await edge.Http.GetByteArrayAsync("/hot.m4s"));
            await EventuallyAsync(() => Volatile.Read(ref heartbeats) > 0, "a first heartbeat");

            // A player is mid-download of an object the edge is still filling.
            using var player = new HttpClient { BaseAddress = edge.Http.BaseAddress };
            using var response = await player.GetAsync("/slow.m4s", HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var head = new byte[64 * 1024];
            await stream.ReadExactlyAsync(head);

            stopping = edge.StopAsync();

            // 1. The control plane hears "draining" while the edge still accepts and serves.
            Assert.True(await servedWhileAnnouncing.Task.WaitAsync(TimeSpan.FromSeconds(15)),
                "the draining heartbeat arrived after the edge had stopped serving new connections");
            // 2. Then the listeners stop accepting, while the response above is still in flight.
            await EventuallyAsync(() => !CanConnect(edge.HttpPort), "the listener to close");
            Assert.False(stopping.IsCompleted, "the edge stopped before its in-flight response finished");
            // 3. The in-flight response finishes, whole.
            release.SetResult();
            using var rest = new MemoryStream();
            await stream.CopyToAsync(rest);
            Assert.Equal(slow, head.Concat(rest.ToArray()).ToArray());
            await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            release.TrySetResult();
            await edge.DisposeAsync();
        }

        // 4. The index was checkpointed: restarted on the same directories, the edge serves both objects as
        // hits, without asking the origin again.
        var originRequests = origin.Hits("/hot.m4s") + origin.Hits("/slow.m4s");
        await using var restarted = await TestEdge.StartAsync(dir.Path, [origin.Url]);
        foreach (var (path, body) in new[] { ("/hot.m4s", hot), ("/slow.m4s", slow) })
        {
            using var again = await restarted.Http.GetAsync(path);
            Assert.Equal(body, await again.Content.ReadAsByteArrayAsync());
            Assert.StartsWith("HIT", again.Headers.GetValues("X-Cache").Single(), StringComparison.Ordinal);
        }

        Assert.Equal(originRequests, origin.Hits("/hot.m4s") + origin.Hits("/slow.m4s"));
    }

    private static async Task<bool> ServesOnNewConnectionAsync(int port, string path, byte[] expected)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsByteArrayAsync()).AsSpan().SequenceEqual(expected);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static bool CanConnect(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
