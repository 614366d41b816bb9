using System.Text.Json.Nodes;
using Cdn.Contracts.Fill;
using Cdn.ControlPlane.Tests.Support;

namespace Cdn.ControlPlane.Tests.Functional;

/// <summary>Fill:AutoPlan: each site gets a pushed plan shortly before its window opens, and only then.</summary>
public sealed class AutoPlanTests
{
    [Fact]
    public async Task A_site_whose_window_opens_within_the_lead_time_gets_a_pushed_plan_and_the_others_do_not()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        var soon = new TimeOnly(local.Hour, local.Minute).AddMinutes(10);
        var later = soon.AddHours(6);
        await using var cp = await ControlPlaneHost.StartAsync(c =>
        {
            c["Registry"]!["Sites"]![0]!["FillWindow"] = new JsonObject { ["Start"] = $"{soon:HH:mm}", ["End"] = $"{soon.AddHours(4):HH:mm}", ["TimeZone"] = "Europe/Amsterdam" };
            c["Registry"]!["Sites"]![1]!["FillWindow"] = new JsonObject { ["Start"] = $"{later:HH:mm}", ["End"] = $"{later.AddHours(4):HH:mm}", ["TimeZone"] = "Europe/Amsterdam" };
            c["Fill"] = new JsonObject { ["AutoPlan"] = true, ["AutoPlanLeadTime"] = "00:30:00" };
        });

        await Eventually.HoldsAsync(async () => (await cp.Client.ListFillPlansAsync("ams")).Any(p => p.State == FillPlanState.Active), TimeSpan.FromSeconds(20), "an automatic plan for ams");

        Assert.Empty(await cp.Client.ListFillPlansAsync("fra"));
        Assert.Single(await cp.Client.ListFillPlansAsync("ams")); // once a day, not once a tick
    }
}
