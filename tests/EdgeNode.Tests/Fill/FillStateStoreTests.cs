using Cdn.Contracts.Fill;
using EdgeNode.Fill;

namespace EdgeNode.Tests.Fill;

public sealed class FillStateStoreTests
{
    [Fact]
    public void Plan_and_cursor_survive_a_new_store_on_the_same_directory()
    {
        using var dir = new TempDirectory("fill-state");
        var plan = new FillPlan("ams", 4, DateTimeOffset.UnixEpoch, new FillWindow(new TimeOnly(2, 0), new TimeOnly(14, 0), "UTC"), 1000,
            [new FillItem("/t1/720p/", 500, "t1", ["edge-1"], 5, ["edge-2"])], [], [], [new FillPeer("edge-2", new Uri("http://10.0.0.2/"))]);
        var cursor = new FillCursor(4, 0, 3, 3, 300, 1, [new FillObject("/t1/720p/seg_00001.m4s", 100)], [new FillItem("/t0/", 1, "t0", ["edge-1"])], "boom");
        new FillStateStore(dir.Path).SavePlan(plan);
        new FillStateStore(dir.Path).SaveCursor(cursor);

        var store = new FillStateStore(dir.Path);

        var item = store.LoadPlan()!.Add[0];
        Assert.Equal(("/t1/720p/", 5, 500L), (item.Path, item.Objects, item.SizeBytes));
        Assert.Equal(["edge-2"], item.Sources);
        Assert.Equal((4L, 3, 300L, "boom"), (store.LoadCursor()!.PlanVersion, store.LoadCursor()!.Object, store.LoadCursor()!.BytesDone, store.LoadCursor()!.LastError));
        Assert.Equal(cursor.Failed, store.LoadCursor()!.Failed);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void A_damaged_state_file_starts_over_instead_of_stopping_the_agent()
    {
        using var dir = new TempDirectory("fill-state");
        var store = new FillStateStore(dir.Path);
        File.WriteAllText(dir.Combine("cursor.json"), "{ \"planVersion\": ");

        Assert.Null(store.LoadCursor());
        Assert.Null(store.LoadPlan());
    }
}
