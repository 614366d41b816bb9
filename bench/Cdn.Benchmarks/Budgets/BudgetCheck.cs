using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Cdn.Benchmarks.Budgets;

/// <summary>
/// <c>check-budgets</c>: runs every benchmark in-process with a short job and compares allocations and time
/// ratios with bench/budgets.json. Fails (exit 1) when a benchmark allocates more than its budget, its time
/// (fastest iteration) over the reference's exceeds the recorded ratio by more than the file's regression factor, or a benchmark
/// and a budget do not match one-to-one (a new hot path needs a budget; a renamed one must not hide).
/// <c>--write</c> records the measured values instead (run it on a quiet machine, review the diff).
/// </summary>
internal static class BudgetCheck
{
    public static int Run(string[] args)
    {
        var path = "bench/budgets.json";
        var write = false;
        var filters = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--budgets" when i + 1 < args.Length:
                    path = args[++i];
                    break;
                case "--write":
                    write = true;
                    break;
                case "--filter" when i + 1 < args.Length:
                    filters.Add(args[++i]);
                    break;
                default:
                    Console.Error.WriteLine($"check-budgets: unknown or incomplete argument '{args[i]}'");
                    Console.Error.WriteLine("usage: check-budgets [--budgets bench/budgets.json] [--filter GLOB]... [--write]");
                    return 2;
            }
        }

        BudgetFile file;
        try
        {
            file = write && !File.Exists(path) ? new BudgetFile() : BudgetFile.Load(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or FormatException)
        {
            Console.Error.WriteLine($"check-budgets: {ex.Message}");
            return 2;
        }

        var measured = Measure(filters, file.Reference);
        if (measured is null)
        {
            Console.Error.WriteLine($"check-budgets: the reference benchmark '{file.Reference}' did not run; nothing can be compared");
            return 1;
        }

        if (write)
        {
            return Write(file, path, measured);
        }

        // Short benchmarks on a busy machine are noisy: measure the ones over their time limit once more, with
        // a fresh reference, and keep the better ratio. A real regression is slow both times.
        var slow = file.Benchmarks
            .Where(b => b.Ratio is { } r && measured.TryGetValue(b.Name, out var m) && m.Ratio > r * file.MaxRegression)
            .Select(b => b.Name)
            .ToList();
        if (slow.Count > 0)
        {
            Console.WriteLine($"check-budgets: measuring {slow.Count} benchmark(s) over their time limit again: {string.Join(", ", slow)}");
            var patterns = slow.Select(n => "*." + (n.IndexOf('(', StringComparison.Ordinal) is var p and > 0 ? n[..p] : n)).Distinct().ToList();
            var again = Measure(patterns, file.Reference);
            foreach (var name in slow)
            {
                if (again is not null && again.TryGetValue(name, out var second) && second.Succeeded && second.Ratio < measured[name].Ratio)
                {
                    measured[name] = second;
                }
            }
        }

        return Compare(file, measured, partial: filters.Count > 0);
    }

    /// <summary>Runs the matching benchmarks and the reference; null when the reference did not run.</summary>
    private static Dictionary<string, Measured>? Measure(List<string> filters, string referenceName)
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1).WithWarmupCount(4).WithIterationCount(10)
                .WithIterationTime(TimeInterval.FromMilliseconds(150)).WithId("budget"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(new ProgressLogger())
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "cdn-bench-budgets"));
        var patterns = filters.Count == 0 ? ["*"] : filters.Append("*ReferenceBenchmarks*").ToArray();
        config = config.AddFilter(new GlobFilter(patterns));

        var types = typeof(BudgetCheck).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.GetMethods().Any(m => m.GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false).Length > 0))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToArray();
        var reports = BenchmarkRunner.Run(types, config).SelectMany(s => s.Reports).ToList();
        var reference = reports.FirstOrDefault(r => NameOf(r.BenchmarkCase) == referenceName)?.ResultStatistics?.Min;
        if (reference is not > 0)
        {
            return null;
        }

        var results = new Dictionary<string, Measured>(StringComparer.Ordinal);
        foreach (var report in reports)
        {
            var name = NameOf(report.BenchmarkCase);
            // The fastest iteration: interference from other processes only ever adds time, so the minimum is
            // the most repeatable figure on a shared machine (the mean of a preempted run is not).
            var fastest = report.ResultStatistics?.Min ?? double.NaN;
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            results[name] = new Measured(name, report.Success && !double.IsNaN(fastest), fastest, fastest / reference.Value, allocated ?? -1);
        }

        return results;
    }

    internal static string NameOf(BenchmarkCase benchmark)
    {
        var name = $"{benchmark.Descriptor.Type.Name}.{benchmark.Descriptor.WorkloadMethod.Name}";
        var parameters = benchmark.Parameters.Items;
        return parameters.Count == 0
            ? name
            : $"{name}({string.Join(",", parameters.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}={p.Value}")))})";
    }

    private static int Compare(BudgetFile file, Dictionary<string, Measured> measured, bool partial)
    {
        Console.WriteLine();
        Console.WriteLine($"reference {file.Reference}: {measured[file.Reference].FastestNs:F1} ns (fastest iteration); time fails above recorded ratio x {file.MaxRegression}");
        var failures = BudgetEvaluation.Evaluate(file, measured, partial, Console.Out);
        Console.WriteLine();
        if (failures.Count == 0)
        {
            Console.WriteLine($"check-budgets: {measured.Count - 1} benchmarks within budget");
            return 0;
        }

        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"check-budgets: FAIL {failure}");
        }

        return 1;
    }

    private static int Write(BudgetFile file, string path, Dictionary<string, Measured> measured)
    {
        var old = file.Benchmarks.ToDictionary(b => b.Name, StringComparer.Ordinal);
        file.Benchmarks = measured.Values
            .Where(m => m.Name != file.Reference && m.Succeeded)
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .Select(m =>
            {
                old.TryGetValue(m.Name, out var previous);
                var timed = previous is null || previous.Ratio is not null;
                return new Budget
                {
                    Name = m.Name,
                    AllocatedBytes = m.AllocatedBytes,
                    Ratio = timed ? Math.Round(m.Ratio, 3) : null,
                    Note = previous?.Note,
                };
            })
            .ToList();
        file.Save(path);
        Console.WriteLine($"check-budgets: wrote {file.Benchmarks.Count} budgets to {path}; review the diff before committing");
        return 0;
    }

    /// <summary>One line per benchmark finished instead of BenchmarkDotNet's full log.</summary>
    private sealed class ProgressLogger : ILogger
    {
        public string Id => "budget-progress";

        public int Priority => 0;

        public void Write(LogKind logKind, string text)
        {
        }

        public void WriteLine()
        {
        }

        public void WriteLine(LogKind logKind, string text)
        {
            if (logKind == LogKind.Header && text.StartsWith("// Benchmark: ", StringComparison.Ordinal))
            {
                Console.WriteLine(text[3..]);
            }
            else if (logKind == LogKind.Error)
            {
                Console.Error.WriteLine(text);
            }
        }

        public void Flush()
        {
        }
    }
}
