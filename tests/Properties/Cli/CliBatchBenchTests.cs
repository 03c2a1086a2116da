using System.Text.Json;
using TabularRL.Engine.Generators;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels.Backends;

namespace TabularRL.Tests.Cli;

/// <summary>
/// <c>tabrl bench --batch</c>: one JSON object whose sizes echo the options and whose sweep counts are those of the
/// library's own solve of the same garnets, batched or solo; a readable table; bad options as exit 2 naming the
/// option. The batches are tiny: the tests check the report, not the speed.
/// </summary>
public sealed class CliBatchBenchTests
{
    private static readonly string[] Small = ["bench", "--batch", "20", "--states", "20", "--branching", "3", "--discount", "0.9", "--seed", "5", "--repetitions", "2"];

    // The sweeps the library takes on the same 20 garnets (seeds 5..24), from which the report's counts must come.
    private static (int Max, long Total) LibrarySweeps(double tolerance)
    {
        var mdps = Enumerable.Range(5, 20).Select(seed => Garnet.Create(new GarnetOptions { States = 20, Actions = 4, Branching = 3, Discount = 0.9, Seed = seed })).ToArray();
        var result = BatchedValueIteration.Solve(BatchedMdp.FromModels(mdps), new BatchedSolverOptions { Tolerance = tolerance }, new ReferenceBackend());
        return (result.Sweeps.ToArray().Max(), result.Sweeps.ToArray().Sum(k => (long)k));
    }

    [Theory]
    [InlineData("cpu", "1", false)]
    [InlineData("cpu", "2", false)]
    [InlineData("reference", "2", false)]
    [InlineData("cpu", "1", true)]
    public void Json_IsOneObjectWithTheOptionsAndTheLibrarysSweeps(string backend, string threads, bool solo)
    {
        string[] args = [.. Small, "--tol", "1e-6", "--backend", backend, "--threads", threads, "--format", "json", .. (solo ? new[] { "--solo" } : [])];
        var run = Tabrl.Succeeds(args);
        var json = run.Json();
        Assert.True(json.ValueKind == JsonValueKind.Object, run.Describe());
        Assert.Equal(solo ? "solo" : "batched", json.GetProperty("mode").GetString());
        Assert.Equal(backend, json.GetProperty("backend").GetString());
        Assert.Equal(backend == "reference" ? 1 : int.Parse(threads), json.GetProperty("threads").GetInt32());
        Assert.Equal(20, json.GetProperty("batch").GetInt32());
        Assert.Equal(20, json.GetProperty("states").GetInt32());
        Assert.Equal(4, json.GetProperty("actions").GetInt32());
        Assert.Equal(3, json.GetProperty("branching").GetInt32());
        Assert.Equal(0.9, json.GetProperty("discount").GetDouble());
        Assert.Equal(1e-6, json.GetProperty("tolerance").GetDouble());
        Assert.Equal(2, json.GetProperty("repetitions").GetInt32());
        Assert.True(json.GetProperty("converged").GetBoolean(), run.Describe());
        var (max, total) = LibrarySweeps(1e-6);
        Assert.Equal(max, json.GetProperty("sweeps").GetInt32());
        Assert.Equal(total, json.GetProperty("total_sweeps").GetInt64());
        double seconds = json.GetProperty("seconds").GetDouble(), min = json.GetProperty("min_seconds").GetDouble();
        double rate = json.GetProperty("mdps_per_second").GetDouble();
        Assert.True(seconds > 0 && min > 0 && min <= seconds, run.Describe());
        Assert.True(Math.Abs(rate - 20 / seconds) <= 1e-9 * rate, $"mdps_per_second {rate} is not batch / seconds\n{run.Describe()}");
    }

    [Fact]
    public void Table_SaysWhatRanAndGivesTheFigures()
    {
        var run = Tabrl.Succeeds([.. Small, "--backend", "cpu", "--threads", "1"]);
        string header = run.Out.Split('\n')[0];
        foreach (string part in (string[])["20 garnets", "S=20", "A=4", "K=3", "gamma=0.9", "seeds 5..24", "batched", "1e-08", "backend cpu", "1 thread"])
            Assert.True(header.Contains(part, StringComparison.Ordinal), $"header lacks '{part}'\n{run.Describe()}");
        foreach (string label in (string[])["seconds (median)", "sweeps (max)", "MDPs per second", "converged"])
            Assert.Contains(label, run.Out);
    }

    [Theory]
    [InlineData(new[] { "--batch", "0" }, "--batch")]
    [InlineData(new[] { "--batch", "5", "--tol", "0" }, "--tol")]
    [InlineData(new[] { "--batch", "5", "--tol", "-1e-8" }, "--tol")]
    [InlineData(new[] { "--batch", "5", "--repetitions", "0" }, "--repetitions")]
    [InlineData(new[] { "--batch", "5", "--discount", "1" }, "--discount")]
    [InlineData(new[] { "--batch", "5", "--states", "0" }, "--states", "0")]
    [InlineData(new[] { "--batch", "5", "--states", "4", "--branching", "5" }, "--branching")]
    [InlineData(new[] { "--batch", "5", "--probabilities", "float32" }, "--probabilities")]
    [InlineData(new[] { "--batch", "5", "--seed", "2147483647" }, "--seed")]
    [InlineData(new[] { "--states", "100", "--tol", "1e-6" }, "--tol", "--batch")]
    [InlineData(new[] { "--states", "100", "--discount", "0.9" }, "--discount", "--batch")]
    [InlineData(new[] { "--states", "100", "--repetitions", "2" }, "--repetitions", "--batch")]
    [InlineData(new[] { "--states", "100", "--solo" }, "--solo", "--batch")]
    public void BadBatchOption_IsBadInputNamingIt(string[] options, params string[] mentions)
        => Tabrl.FailsWithBadInput(null, ["bench", .. options], mentions);

    [Fact]
    public void BatchWithAModelFile_IsBadInput()
    {
        using var dir = new CliScratch();
        string path = CliModels.Write(dir["forest.npz"], CliModels.Forest());
        Tabrl.FailsWithBadInput(null, ["bench", path, "--batch", "5"], "--batch", "MODEL");
    }
}
