using System.Globalization;
using BenchmarkDotNet.Running;
using Cdn.Benchmarks.Budgets;
using Cdn.Benchmarks.Caching;

// Cdn.Benchmarks — see README.md.
//   dotnet run -c Release --project bench/Cdn.Benchmarks -- --filter '*Lookup*'      (BenchmarkDotNet)
//   dotnet run -c Release --project bench/Cdn.Benchmarks -- footprint [objects] [index-memory-MiB] [hash-table-MiB]
//   dotnet run -c Release --project bench/Cdn.Benchmarks -- check-budgets [--filter GLOB] [--write]   (CI: eng/test.sh)
if (args.Length > 0 && args[0] == "check-budgets")
{
    return BudgetCheck.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "footprint")
{
    long Arg(int i, long fallback)
    {
        if (args.Length <= i)
        {
            return fallback;
        }

        return long.TryParse(args[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new ArgumentException($"argument {i} ('{args[i]}') must be a positive integer");
    }

    try
    {
        return IndexFootprint.Run(Arg(1, 10_000_000), Arg(2, 1024), Arg(3, 128));
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine($"footprint: {ex.Message}");
        return 2;
    }
}

BenchmarkSwitcher.FromAssembly(typeof(LookupBenchmarks).Assembly).Run(args);
return 0;
