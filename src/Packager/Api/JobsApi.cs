using System.Text.Json;
using Cdn.Hosting.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Packager.Encoding;
using Packager.Jobs;

namespace Packager.Api;

/// <summary>
/// The job API on the admin listener (behind the bearer-token filter): submit, list, status, cancel, retry.
/// Bad input gets a 400 problem+json naming each bad field; a title with a job already queued or running 409.
/// </summary>
internal static class JobsApi
{
    private const int MaxListLimit = 1000;

    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost(PackagerRoutes.Jobs, SubmitAsync);
        api.MapGet(PackagerRoutes.Jobs, ListAsync);
        api.MapGet(PackagerRoutes.Job, GetAsync);
        api.MapPost(PackagerRoutes.Cancel, CancelAsync);
        api.MapPost(PackagerRoutes.Retry, RetryAsync);
    }

    private static async Task<IResult> SubmitAsync(
        HttpContext context,
        JobStore store,
        QueueSignal queue,
        LiveOptions<EncodingOptions> encoding,
        IOptions<PackagerOptions> packager,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Packager.Api");
        if (!context.Request.HasJsonContentType())
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: "send the job as application/json");
        }

        SubmitJobRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync(PackagerJson.Default.SubmitJobRequest, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Invalid(logger, new Dictionary<string, string[]> { ["body"] = [$"not a valid job: {ex.Message}"] });
        }

        if (request is null)
        {
            return Invalid(logger, new Dictionary<string, string[]> { ["body"] = ["a JSON object with titleId and source is required"] });
        }

        var options = encoding.Current;
        var errors = SubmitValidator.Validate(request, options, packager.Value);
        if (errors.Count > 0)
        {
            return Invalid(logger, errors);
        }

        var profile = string.IsNullOrEmpty(request.Profile) ? options.DefaultProfile : request.Profile;
        var id = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var source = request.Source!.Contains("://", StringComparison.Ordinal) ? request.Source : Path.GetFullPath(request.Source);
        var job = await store.SubmitAsync(id, request.TitleId!, source, profile, request.Ladder, request.ReleaseDate, context.RequestAborted);
        if (job is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Title busy", detail: $"title '{request.TitleId}' already has a queued or running job; cancel it or wait for it to finish");
        }

        JobsLog.Submitted(logger, job.Id, job.TitleId, job.Source, job.Profile);
        queue.Signal.Pulse();
        return Results.Json(JobView.From(job), PackagerJson.Default.JobView, statusCode: StatusCodes.Status201Created, contentType: null);
    }

    private static async Task<IResult> ListAsync(HttpContext context, JobStore store, string? state, string? limit)
    {
        JobState? filter = null;
        if (!string.IsNullOrEmpty(state))
        {
            if (!Enum.TryParse<JobState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(state, out _))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["state"] = [$"unknown state '{state}' ({string.Join(", ", Enum.GetNames<JobState>())})"] });
            }

            filter = parsed;
        }

        var count = 100;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxListLimit))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"must be a whole number between 1 and {MaxListLimit}, got '{limit}'"] });
        }

        var jobs = await store.ListAsync(filter, count, context.RequestAborted);
        return Results.Json(new JobList(jobs.Select(JobView.From).ToList()), PackagerJson.Default.JobList);
    }

    private static async Task<IResult> GetAsync(HttpContext context, JobStore store, string id)
    {
        var job = await store.GetAsync(id, context.RequestAborted);
        return job is null ? NotFound(id) : Results.Json(JobView.From(job), PackagerJson.Default.JobView);
    }

    private static async Task<IResult> CancelAsync(HttpContext context, JobStore store, JobWorker worker, string id, ILoggerFactory loggers)
    {
        var before = await store.GetAsync(id, context.RequestAborted);
        if (before is null)
        {
            return NotFound(id);
        }

        if (before.State is JobState.Succeeded or JobState.Failed or JobState.Cancelled)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Job finished", detail: $"job {id} already ended as {before.State}");
        }

        var job = await store.CancelAsync(id, context.RequestAborted);
        ApiLog.CancelRequested(loggers.CreateLogger("Packager.Api"), id);
        worker.CancelLocal(id);
        return Results.Json(JobView.From(job!), PackagerJson.Default.JobView, statusCode: StatusCodes.Status202Accepted, contentType: null);
    }

    private static async Task<IResult> RetryAsync(HttpContext context, JobStore store, QueueSignal queue, string id, ILoggerFactory loggers)
    {
        var (job, retried) = await store.RetryAsync(id, context.RequestAborted);
        if (job is null)
        {
            return NotFound(id);
        }

        if (!retried)
        {
            var detail = job.State is JobState.Failed or JobState.Cancelled
                ? $"title '{job.TitleId}' already has a queued or running job"
                : $"only failed or cancelled jobs can be retried; job {id} is {job.State}";
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cannot retry", detail: detail);
        }

        ApiLog.Retried(loggers.CreateLogger("Packager.Api"), id);
        queue.Signal.Pulse();
        return Results.Json(JobView.From(job), PackagerJson.Default.JobView);
    }

    private static IResult NotFound(string id)
        => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such job", detail: $"no job with id '{id}'");

    private static IResult Invalid(ILogger logger, Dictionary<string, string[]> errors)
    {
        ApiLog.SubmissionRejected(logger, string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        return Results.ValidationProblem(errors, title: "Invalid job");
    }
}
