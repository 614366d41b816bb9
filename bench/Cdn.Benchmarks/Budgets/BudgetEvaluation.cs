using System.Globalization;

namespace Cdn.Benchmarks.Budgets;

/// <summary>One benchmark's result; <see cref="Ratio"/> is to the reference of the same run.</summary>
internal sealed record Measured(string Name, bool Succeeded, double FastestNs, double Ratio, long AllocatedBytes);

/// <summary>Measured results against a budget file: a table row per benchmark and the list of failures.</summary>
internal static class BudgetEvaluation
{
    /// <summary>
    /// Writes the table to <paramref name="table"/> and returns every failure: over an allocation budget, slower
    /// than the recorded ratio times <see cref="BudgetFile.MaxRegression"/>, failed to run, no budget, or (unless
    /// <paramref name="partial"/>, a filtered run) a budget whose benchmark did not run.
    /// </summary>
    public static List<string> Evaluate(BudgetFile file, IReadOnlyDictionary<string, Measured> measured, bool partial, TextWriter table)
    {
        var failures = new List<string>();
        table.WriteLine($"{"benchmark",-58} {"alloc B/op",12} {"budget",8} {"ratio",8} {"limit",8}  verdict");
        var budgets = file.Benchmarks.ToDictionary(b => b.Name, StringComparer.Ordinal);
        foreach (var result in measured.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            if (result.Name == file.Reference)
            {
                continue;
            }

            var ratio = result.Ratio;
            if (!budgets.TryGetValue(result.Name, out var budget))
            {
                failures.Add($"{result.Name}: no budget in the file (add one: run check-budgets --write on a quiet machine)");
                table.WriteLine(Row(result.Name, result.AllocatedBytes, "-", ratio, "-", "NO BUDGET"));
                continue;
            }

            var verdicts = new List<string>();
            if (!result.Succeeded || result.AllocatedBytes < 0)
            {
                verdicts.Add("DID NOT RUN");
                failures.Add($"{result.Name}: the benchmark failed to run");
            }
            else
            {
                if (result.AllocatedBytes > budget.AllocatedBytes)
                {
                    verdicts.Add("ALLOCATES");
                    failures.Add(budget.AllocatedBytes == 0
                        ? $"{result.Name}: started allocating ({result.AllocatedBytes} B/op, budget 0)"
                        : $"{result.Name}: allocates {result.AllocatedBytes} B/op, budget {budget.AllocatedBytes}");
                }

                if (budget.Ratio is { } recorded && ratio > recorded * file.MaxRegression)
                {
                    verdicts.Add("SLOWER");
                    failures.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{result.Name}: {ratio:F2}x the reference, recorded {recorded:F2}x (limit {recorded * file.MaxRegression:F2}x)"));
                }
            }

            var limit = budget.Ratio is { } r ? (r * file.MaxRegression).ToString("F2", CultureInfo.InvariantCulture) : "n/a";
            table.WriteLine(Row(result.Name, result.AllocatedBytes, budget.AllocatedBytes.ToString(CultureInfo.InvariantCulture), ratio, limit,
                verdicts.Count == 0 ? "ok" : string.Join(", ", verdicts)));
        }

        if (!partial)
        {
            foreach (var missing in budgets.Keys.Where(k => !measured.ContainsKey(k)).Order(StringComparer.Ordinal))
            {
                failures.Add($"{missing}: budgeted but no such benchmark ran (renamed or removed? update bench/budgets.json)");
            }
        }

        return failures;
    }

    private static string Row(string name, long allocated, string budget, double ratio, string limit, string verdict)
        => string.Create(CultureInfo.InvariantCulture, $"{name,-58} {allocated,12} {budget,8} {ratio,8:F2} {limit,8}  {verdict}");
}
