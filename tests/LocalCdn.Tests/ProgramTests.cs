namespace LocalCdn.Tests;

public sealed class ProgramTests
{
    [Fact]
    public async Task Bad_arguments_exit_2_before_anything_starts()
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, await Program.Main(["--play-site", "lon"]));
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Contains("--play-site: no site 'lon'", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("usage: eng/run.sh", error.ToString(), StringComparison.Ordinal);
    }
}
