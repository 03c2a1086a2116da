using System.Text.Json;

namespace TabularRL.Tests.Cli;

/// <summary><c>--reorder rcm</c> on solve and bench: the same answers in the file's numbering, and bad values as exit 2.</summary>
public sealed class CliReorderTests : IDisposable
{
    private readonly CliScratch _dir = new();

    public void Dispose() => _dir.Dispose();

    private string LocalGarnet(string horizon = "")
    {
        string path = _dir[$"garnet{horizon}.npz"];
        string[] extra = horizon == "" ? [] : ["--horizon", horizon];
        Tabrl.Succeeds(["generate", "garnet", "--states", "400", "--actions", "3", "--branching", "4", "--locality", "6", "--seed", "9", .. extra, "--out", path]);
        return path;
    }

    [Theory]
    [InlineData("pi", "")]
    [InlineData("vi", "")]
    [InlineData("soft", "")]
    [InlineData("pi", "4")]
    public void Solve_Rcm_GivesTheSameResultInTheFilesNumbering(string method, string horizon)
    {
        string model = LocalGarnet(horizon);
        var plain = Tabrl.Succeeds("solve", model, "--method", method, "--tol", "1e-10", "--format", "json").Json();
        var reordered = Tabrl.Succeeds("solve", model, "--method", method, "--tol", "1e-10", "--reorder", "rcm", "--format", "json").Json();
        foreach (string key in (string[])["values", "q_values", "policy"])
        {
            var a = CliModels.Doubles(plain.GetProperty(key));
            var b = CliModels.Doubles(reordered.GetProperty(key));
            Assert.Equal(a.Length, b.Length);
            for (int i = 0; i < a.Length; i++)
                Assert.True(Math.Abs(a[i] - b[i]) <= 1e-8 * Math.Max(1, Math.Abs(a[i])), $"{key}[{i}]: {a[i]} and {b[i]}");
        }
        Assert.Equal(CliModels.Doubles(plain.GetProperty("actions")), CliModels.Doubles(reordered.GetProperty("actions")));
    }

    [Fact]
    public void Solve_RcmVerbose_ReportsTheLocalityItReached()
    {
        var run = Tabrl.Run("solve", LocalGarnet(), "--reorder", "rcm", "--verbose");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("reorder rcm: mean |s' - s|", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_Rcm_SaysSoInJsonAndTable()
    {
        var json = Tabrl.Succeeds("bench", LocalGarnet(), "--sweeps", "2", "--triad-mb", "8", "--reorder", "rcm", "--format", "json");
        using var document = JsonDocument.Parse(json.Out);
        Assert.All(document.RootElement.EnumerateArray(), m => Assert.Equal("rcm", m.GetProperty("reorder").GetString()));
        var table = Tabrl.Succeeds("bench", "--states", "300", "--sweeps", "2", "--triad-mb", "8", "--reorder", "rcm");
        Assert.Contains("states renumbered by rcm", table.Out.Split('\n')[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("solve")]
    [InlineData("bench")]
    public void UnknownOrdering_IsBadInputNamingIt(string command)
        => Tabrl.FailsWithBadInput(null, [command, LocalGarnet(), "--reorder", "metis"], "metis");
}
