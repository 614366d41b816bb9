using System.Net.Http.Json;
using Packager.Api;

namespace Packager.Tests.Support;

/// <summary>Polls a packager's status API until a condition holds (system tests poll with a deadline, never sleep blindly).</summary>
internal static class JobPoll
{
    public static async Task<JobView> UntilAsync(HttpClient http, string id, Func<JobView, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (true)
        {
            var job = (await http.GetFromJsonAsync($"/api/v1/jobs/{id}", PackagerJson.Default.JobView))!;
            if (done(job))
            {
                return job;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"job {id} still {job.State}/{job.Stage} {job.Progress}% ({job.Error})");
            }

            await Task.Delay(100);
        }
    }
}
