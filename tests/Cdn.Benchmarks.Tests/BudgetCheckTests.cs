using Cdn.Benchmarks.Budgets;

namespace Cdn.Benchmarks.Tests;

public class BudgetCheckTests
{
    private const string Reference = "ReferenceBenchmarks.Yardstick";

    private static BudgetFile File(params Budget[] budgets) => new() { Reference = Reference, MaxRegression = 1.5, Benchmarks = [.. budgets] };

    private static Dictionary<string, Measured> Results(params Measured[] results)
    {
        var all = results.ToDictionary(r => r.Name);
        all[Reference] = new Measured(Reference, true, 500, 1, 0);
        return all;
    }

    private static List<string> Evaluate(BudgetFile file, Dictionary<string, Measured> measured, bool partial = false)
        => BudgetEvaluation.Evaluate(file, measured, partial, TextWriter.Null);

    [Fact]
    public void Within_every_budget_passes()
    {
        var failures = Evaluate(
            File(new Budget { Name = "A.Hit", AllocatedBytes = 0, Ratio = 0.2 }, new Budget { Name = "A.Fill", AllocatedBytes = 300, Ratio = null }),
            Results(new Measured("A.Hit", true, 140, 0.28, 0), new Measured("A.Fill", true, 90_000, 180, 296)));

        Assert.Empty(failures);
    }

    [Fact]
    public void A_zero_budget_path_that_starts_allocating_fails()
    {
        var failures = Evaluate(File(new Budget { Name = "A.Hit", AllocatedBytes = 0, Ratio = 0.2 }), Results(new Measured("A.Hit", true, 100, 0.2, 24)));

        Assert.Equal(["A.Hit: started allocating (24 B/op, budget 0)"], failures);
    }

    [Fact]
    public void Allocating_more_than_the_budget_fails()
    {
        var failures = Evaluate(File(new Budget { Name = "A.Parse", AllocatedBytes = 88, Ratio = 1 }), Results(new Measured("A.Parse", true, 500, 1, 152)));

        Assert.Equal(["A.Parse: allocates 152 B/op, budget 88"], failures);
    }

    [Fact]
    public void Time_fails_only_beyond_the_regression_factor_and_only_when_checked()
    {
        var file = File(
            new Budget { Name = "A.Slow", Ratio = 0.2 },
            new Budget { Name = "A.Edge", Ratio = 0.2 },
            new Budget { Name = "A.Disk", Ratio = null });
        var failures = Evaluate(file, Results(
            new Measured("A.Slow", true, 155, 0.31, 0),
            new Measured("A.Edge", true, 150, 0.2999, 0),
            new Measured("A.Disk", true, 1e7, 20_000, 0)));

        var failure = Assert.Single(failures);
        Assert.Equal("A.Slow: 0.31x the reference, recorded 0.20x (limit 0.30x)", failure);
    }

    [Fact]
    public void An_unbudgeted_benchmark_and_a_budget_without_a_benchmark_both_fail()
    {
        var failures = Evaluate(File(new Budget { Name = "A.Renamed" }), Results(new Measured("A.New", true, 10, 0.02, 0)));

        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("A.New: no budget", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("A.Renamed: budgeted but no such benchmark ran", StringComparison.Ordinal));
    }

    [Fact]
    public void A_filtered_run_does_not_ask_for_the_benchmarks_it_skipped()
    {
        var failures = Evaluate(File(new Budget { Name = "A.Skipped" }, new Budget { Name = "A.Ran" }), Results(new Measured("A.Ran", true, 10, 0.02, 0)), partial: true);

        Assert.Empty(failures);
    }

    [Fact]
    public void A_benchmark_that_failed_to_run_fails()
    {
        var failures = Evaluate(File(new Budget { Name = "A.Broken" }), Results(new Measured("A.Broken", false, double.NaN, double.NaN, -1)));

        Assert.Equal(["A.Broken: the benchmark failed to run"], failures);
    }

    [Fact]
    public void Budget_file_errors_name_each_problem()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "budgets.json");
        System.IO.File.WriteAllText(path, """
            { "maxRegression": 0.5, "benchmarks": [ { "name": "", "allocatedBytes": -1 }, { "name": "A.X", "ratio": 0 }, { "name": "A.X" } ] }
            """);

        var error = Assert.Throws<FormatException>(() => BudgetFile.Load(path));

        Assert.Contains("maxRegression must be at least 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("benchmarks[0].name is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("benchmarks[0] (): allocatedBytes must be 0 or more", error.Message, StringComparison.Ordinal);
        Assert.Contains("benchmarks[1] (A.X): ratio must be positive", error.Message, StringComparison.Ordinal);
        Assert.Contains("benchmark 'A.X' has 2 budgets", error.Message, StringComparison.Ordinal);

        System.IO.File.WriteAllText(path, "{ not json");
        Assert.Contains("not valid budget JSON", Assert.Throws<FormatException>(() => BudgetFile.Load(path)).Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => BudgetFile.Load(Path.Combine(dir.Path, "missing.json")));
    }

    [Fact]
    public void The_checked_in_budgets_are_valid_and_budget_the_issue_hot_paths()
    {
        var file = BudgetFile.Load(Path.Combine(Daemons.RepositoryRoot, "bench", "budgets.json"));
        var names = file.Benchmarks.Select(b => b.Name).ToHashSet();

        foreach (var required in new[]
        {
            "RequestParsingBenchmarks.ParseHead", "LookupBenchmarks.HashKey", "LookupBenchmarks.LookupHit",
            "RangeBenchmarks.ResolveRange", "DnsResponderBenchmarks.RespondClientSubnet", "PrometheusBenchmarks.Scrape",
        })
        {
            Assert.Contains(required, names);
        }

        Assert.All(new[] { "LookupBenchmarks.HashKey", "RangeBenchmarks.ResolveRange", "DnsResponderBenchmarks.RespondClientSubnet", "PrometheusBenchmarks.RecordRequest" },
            n => Assert.Equal(0, file.Benchmarks.Single(b => b.Name == n).AllocatedBytes));
    }

}
