using Cdn.Hosting.Systemd;

namespace Cdn.Hosting.Tests.Systemd;

public sealed class SystemdNotifierTests
{
    [Fact]
    public async Task Notify_sends_the_state_as_one_datagram()
    {
        using var socket = new NotifySocket();
        using var notifier = new SystemdNotifier(socket.Path);

        Assert.True(notifier.Notify("READY=1"));

        var messages = await socket.ReceiveUntilAsync("READY=1", TimeSpan.FromSeconds(5));
        Assert.Equal(["READY=1"], messages);
    }

    [Fact]
    public void Without_a_socket_notify_does_nothing()
    {
        using var notifier = new SystemdNotifier(socketAddress: null);

        Assert.False(notifier.IsEnabled);
        Assert.False(notifier.Notify("READY=1"));
    }
}
