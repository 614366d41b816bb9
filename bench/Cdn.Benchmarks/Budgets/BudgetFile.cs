using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdn.Benchmarks.Budgets;

/// <summary>
/// bench/budgets.json: for every benchmark, the bytes it may allocate per operation and its time per operation
/// as a ratio to the reference benchmark of the same run (<see cref="Reference.ReferenceBenchmarks"/>).
/// </summary>
internal sealed class BudgetFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file for people: ' stays '
    };

    /// <summary>Why the file exists and how to update it (kept in the JSON for readers).</summary>
    public string? Comment { get; set; }

    /// <summary>The benchmark every ratio is measured against.</summary>
    public string Reference { get; set; } = "ReferenceBenchmarks.Yardstick";

    /// <summary>A benchmark fails when its ratio exceeds its recorded ratio times this.</summary>
    public double MaxRegression { get; set; } = 3.0;

    /// <summary>Per-benchmark budgets, by <c>Class.Method</c> or <c>Class.Method(Param=value)</c>.</summary>
    public List<Budget> Benchmarks { get; set; } = [];

    public static BudgetFile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"budget file not found: {path}", path);
        }

        BudgetFile? file;
        try
        {
            file = JsonSerializer.Deserialize<BudgetFile>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{path}: not valid budget JSON: {ex.Message}", ex);
        }

        if (file is null)
        {
            throw new FormatException($"{path}: empty");
        }

        var problems = new List<string>();
        if (file.MaxRegression < 1)
        {
            problems.Add($"maxRegression must be at least 1 (was {file.MaxRegression})");
        }

        foreach (var (budget, i) in file.Benchmarks.Select((b, i) => (b, i)))
        {
            if (string.IsNullOrWhiteSpace(budget.Name))
            {
                problems.Add($"benchmarks[{i}].name is missing");
            }

            if (budget.AllocatedBytes < 0)
            {
                problems.Add($"benchmarks[{i}] ({budget.Name}): allocatedBytes must be 0 or more");
            }

            if (budget.Ratio is <= 0)
            {
                problems.Add($"benchmarks[{i}] ({budget.Name}): ratio must be positive, or null to skip the time check");
            }
        }

        foreach (var duplicate in file.Benchmarks.GroupBy(b => b.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"benchmark '{duplicate.Key}' has {duplicate.Count()} budgets");
        }

        return problems.Count == 0 ? file : throw new FormatException($"{path}: " + string.Join("; ", problems));
    }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
}

/// <summary>One benchmark's budget.</summary>
internal sealed class Budget
{
    /// <summary><c>Class.Method</c>, with <c>(Param=value,…)</c> for parameterized benchmarks.</summary>
    public string Name { get; set; } = "";

    /// <summary>Bytes allocated per operation, at most.</summary>
    public long AllocatedBytes { get; set; }

    /// <summary>Time per operation over the reference's (fastest iterations of the same run), as recorded; null: time not checked (disk-bound).</summary>
    public double? Ratio { get; set; }

    /// <summary>Why this budget is what it is (what allocates, why time is not checked).</summary>
    public string? Note { get; set; }
}
