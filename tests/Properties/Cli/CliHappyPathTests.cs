using System.Text.Json;
using TabularRL.Engine.Io;

namespace TabularRL.Tests.Cli;

/// <summary>Every command's success path in table and json formats, and --out round trips (INTERFACES.md sections 3 and 4).</summary>
public sealed class CliHappyPathTests : IDisposable
{
    private static readonly string[] SolveKeys = ["values", "q_values", "policy", "actions", "iterations", "residual", "error_bound", "converged"];

    private readonly CliScratch _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Forest(string name = "forest.npz") => CliModels.Write(_dir[name], CliModels.Forest());

    public static TheoryData<string> Methods() => ["vi", "gs", "pi", "mpi", "soft", "kl"];

    [Theory]
    [MemberData(nameof(Methods))]
    public void SolveJsonHasTheContractKeys(string method)
    {
        var run = Tabrl.Succeeds("solve", Forest(), "--method", method, "--format", "json", "--tol", "1e-10");
        var json = run.Json();
        foreach (string key in SolveKeys)
            Assert.True(json.TryGetProperty(key, out _), $"missing key '{key}'\n{run.Describe()}");
        Assert.Equal([3], CliModels.Shape(json.GetProperty("values")));
        Assert.Equal([3, 2], CliModels.Shape(json.GetProperty("q_values")));
        Assert.Equal([3, 2], CliModels.Shape(json.GetProperty("policy")));
        Assert.Equal([3], CliModels.Shape(json.GetProperty("actions")));
        Assert.Equal(JsonValueKind.Number, json.GetProperty("iterations").ValueKind);
        Assert.True(json.GetProperty("iterations").GetInt64() >= 1);
        Assert.True(json.GetProperty("converged").GetBoolean(), run.Describe());
        double bound = json.GetProperty("error_bound").GetDouble();
        Assert.True(bound >= 0 && bound <= 1e-10, run.Describe());
        Assert.True(json.GetProperty("residual").GetDouble() >= 0);

        var policy = CliModels.Doubles(json.GetProperty("policy"));
        for (int s = 0; s < 3; s++)
            Assert.Equal(1.0, policy[2 * s] + policy[2 * s + 1], 12);
        foreach (var a in json.GetProperty("actions").EnumerateArray())
            Assert.Equal(JsonValueKind.Number, a.ValueKind);

        if (method is "soft" or "kl") return;
        var values = CliModels.Doubles(json.GetProperty("values"));
        for (int s = 0; s < 3; s++)
            Assert.True(Math.Abs(values[s] - CliModels.ForestValues[s]) <= bound + 1e-9, $"V[{s}] = {values[s]}\n{run.Describe()}");
        Assert.Equal([0, 0, 0], json.GetProperty("actions").EnumerateArray().Select(a => a.GetInt32()));
        Assert.Equal([1.0, 0, 1, 0, 1, 0], policy);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void SolveTableShowsTheSummaryAndEveryState(string method)
    {
        var run = Tabrl.Succeeds("solve", Forest(), "--method", method);
        foreach (string label in (string[])["method", "iterations", "residual", "error bound", "converged", "state", "value", "action"])
            Assert.Contains(label, run.Out);
        Assert.Contains("yes", run.Out);
        if (method is "vi" or "gs" or "pi" or "mpi")
            Assert.Contains("26.24", run.Out);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(run.Out));
    }

    [Theory]
    [InlineData("vi", ".npz")]
    [InlineData("vi", ".json")]
    [InlineData("pi", ".npz")]
    [InlineData("pi", ".json")]
    [InlineData("gs", ".npz")]
    [InlineData("mpi", ".json")]
    [InlineData("soft", ".npz")]
    [InlineData("kl", ".json")]
    public void SolveOutRoundTripsThroughResultFile(string method, string extension)
    {
        string outPath = _dir["result" + extension];
        var run = Tabrl.Succeeds("solve", Forest(), "--method", method, "--out", outPath, "--format", "json");
        var json = run.Json();
        var result = ResultFile.Read(outPath);
        Assert.Equal(3, result.StateCount);
        Assert.Equal(2, result.ActionCount);
        Assert.Null(result.Horizon);
        Assert.Equal(CliModels.Doubles(json.GetProperty("values")), result.Values.ToArray());
        Assert.Equal(CliModels.Doubles(json.GetProperty("q_values")), result.QValues.ToArray());
        Assert.Equal(CliModels.Doubles(json.GetProperty("policy")), result.Policy.ToArray());
        Assert.Equal(json.GetProperty("actions").EnumerateArray().Select(a => a.GetInt32()), result.Actions.ToArray());
        Assert.Equal(json.GetProperty("iterations").GetInt32(), result.Iterations);
        Assert.Equal(json.GetProperty("error_bound").GetDouble(), result.ErrorBound);
        Assert.Equal(json.GetProperty("residual").GetDouble(), result.Residual);
        Assert.True(result.Converged);

        var arrays = ArrayFiles.Read(outPath, "result");
        foreach (string key in SolveKeys)
            Assert.True(arrays.ContainsKey(key), $"{outPath} lacks '{key}'");
        Assert.Equal([3L], arrays["values"].Shape);
        Assert.Equal([3L, 2L], arrays["q_values"].Shape);
        Assert.Equal(NdArrayKind.Integer, arrays["actions"].Kind);
        Assert.Equal(NdArrayKind.Integer, arrays["iterations"].Kind);
        Assert.Equal(NdArrayKind.Bool, arrays["converged"].Kind);
        Assert.Equal(0, arrays["iterations"].Rank);
        Assert.Equal(0, arrays["error_bound"].Rank);
        if (extension == ".npz")
            Assert.Equal(arrays.Keys.Order(), NpzArchive.Read(outPath).Keys.Order());
    }

    [Fact]
    public void SolveOutOverwritesAnExistingFileOnSuccess()
    {
        string outPath = _dir["result.npz"];
        File.WriteAllText(outPath, "old");
        Tabrl.Succeeds("solve", Forest(), "--out", outPath);
        Assert.Equal(CliModels.ForestValues, ResultFile.Read(outPath).Values.ToArray(), (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.Single(Directory.GetFiles(_dir.Root, "*result*"));
    }

    [Fact]
    public void DenseAndJsonModelsSolveLikeTheCsrModel()
    {
        string csr = Forest();
        string dense = CliModels.Write(_dir["dense.npz"], CliModels.ForestDense());
        string json = CliModels.Write(_dir["forest.json"], CliModels.Forest());
        string denseJson = CliModels.Write(_dir["dense.json"], CliModels.ForestDense());
        var expected = CliModels.Doubles(Tabrl.Succeeds("solve", csr, "--format", "json").Json().GetProperty("values"));
        foreach (string model in (string[])[dense, json, denseJson])
        {
            var values = CliModels.Doubles(Tabrl.Succeeds("solve", model, "--format", "json").Json().GetProperty("values"));
            Assert.Equal(expected, values, (x, y) => Math.Abs(x - y) <= 1e-12);
        }
    }

    [Fact]
    public void SolveWithoutModelExplainsTheBuiltInExample()
    {
        var run = Tabrl.Succeeds("solve");
        Assert.Contains("built-in example", run.Out);
        Assert.Contains("Optimal values", run.Out);
        Assert.Contains("Optimal policy", run.Out);
        Assert.Contains("error bound", run.Out);
        Assert.Contains("tabrl", run.Out);
        Assert.True(run.Out.Split('\n').Length > 15, run.Describe());
    }

    [Fact]
    public void KlWithAReferencePolicyRuns()
    {
        string reference = CliModels.WriteNpy(_dir["reference.npy"], NdArray.FromDoubles([1, 0, 0.5, 0.5, 0, 1], 3, 2));
        var json = Tabrl.Succeeds("solve", Forest(), "--method", "kl", "--reference", reference, "--temperature", "0.5", "--format", "json").Json();
        Assert.True(json.GetProperty("converged").GetBoolean());
        var policy = CliModels.Doubles(json.GetProperty("policy"));
        // Zero reference probability forces zero policy probability.
        Assert.Equal(0.0, policy[1]);
        Assert.Equal(0.0, policy[4]);
    }

    [Fact]
    public void EvaluateTableAndJson()
    {
        string model = Forest();
        string policy = CliModels.WriteNpy(_dir["wait.npy"], CliModels.WaitEverywhere());
        var table = Tabrl.Succeeds("evaluate", model, "--policy", policy);
        Assert.Contains("J(pi)", table.Out);
        Assert.Contains("26.244", table.Out);

        var run = Tabrl.Succeeds("evaluate", model, "--policy", policy, "--format", "json");
        var json = run.Json();
        foreach (string key in (string[])["values", "q_values", "advantages", "objective"])
            Assert.True(json.TryGetProperty(key, out _), $"missing '{key}'\n{run.Describe()}");
        var v = CliModels.Doubles(json.GetProperty("values"));
        Assert.Equal(CliModels.ForestValues, v, (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.Equal([3, 2], CliModels.Shape(json.GetProperty("q_values")));
        Assert.Equal([3, 2], CliModels.Shape(json.GetProperty("advantages")));
        Assert.Equal(v.Average(), json.GetProperty("objective").GetDouble(), 9); // uniform mu0
        var q = CliModels.Doubles(json.GetProperty("q_values"));
        var adv = CliModels.Doubles(json.GetProperty("advantages"));
        for (int i = 0; i < 6; i++)
            Assert.Equal(q[i] - v[i / 2], adv[i], 9);
    }

    [Theory]
    [InlineData(".npz")]
    [InlineData(".json")]
    public void EvaluateOutRoundTripsAndAcceptsAResultFileAsPolicy(string extension)
    {
        string model = Forest();
        string solved = _dir["solved" + extension];
        Tabrl.Succeeds("solve", model, "--method", "vi", "--out", solved);
        string outPath = _dir["evaluation" + extension];
        var json = Tabrl.Succeeds("evaluate", model, "--policy", solved, "--out", outPath, "--format", "json").Json();
        var arrays = ArrayFiles.Read(outPath, "result");
        foreach (string key in (string[])["values", "q_values", "advantages", "objective", "error_bound"])
            Assert.True(arrays.ContainsKey(key), $"missing '{key}'");
        Assert.Equal(CliModels.Doubles(json.GetProperty("values")), arrays["values"].ToDoubleArray());
        Assert.Equal(json.GetProperty("objective").GetDouble(), arrays["objective"].AsDouble("objective"));
        Assert.Equal(CliModels.ForestValues, arrays["values"].ToDoubleArray(), (x, y) => Math.Abs(x - y) < 1e-8);
    }

    [Fact]
    public void EvaluateUnderAnotherReward()
    {
        string model = Forest();
        string policy = CliModels.WriteNpy(_dir["wait.npy"], CliModels.WaitEverywhere());
        // Reward 1 everywhere: V = 1/(1-gamma) = 10 for every state.
        string reward = CliModels.WriteNpy(_dir["ones.npy"], NdArray.FromDoubles([1, 1, 1, 1, 1, 1], 3, 2));
        var json = Tabrl.Succeeds("evaluate", model, "--policy", policy, "--reward", reward, "--format", "json").Json();
        Assert.All(CliModels.Doubles(json.GetProperty("values")), v => Assert.Equal(10.0, v, 9));
        Assert.Equal(10.0, json.GetProperty("objective").GetDouble(), 9);
    }

    [Theory]
    [InlineData(".npz")]
    [InlineData(".json")]
    public void OccupancyTableJsonAndOut(string extension)
    {
        string model = Forest();
        string policy = CliModels.WriteNpy(_dir["stochastic.npy"], CliModels.Stochastic());
        var table = Tabrl.Succeeds("occupancy", model, "--policy", policy);
        Assert.Contains("total mass", table.Out);
        Assert.Contains("10", table.Out);

        string outPath = _dir["occupancy" + extension];
        var run = Tabrl.Succeeds("occupancy", model, "--policy", policy, "--format", "json", "--out", outPath);
        var json = run.Json();
        Assert.True(json.TryGetProperty("occupancy", out var occupancy), run.Describe());
        Assert.True(json.TryGetProperty("state_occupancy", out var stateOccupancy), run.Describe());
        Assert.Equal([3, 2], CliModels.Shape(occupancy));
        Assert.Equal([3], CliModels.Shape(stateOccupancy));
        var eta = CliModels.Doubles(occupancy);
        var d = CliModels.Doubles(stateOccupancy);
        Assert.Equal(10.0, eta.Sum(), 9);
        Assert.All(eta, x => Assert.True(x >= 0));
        for (int s = 0; s < 3; s++)
            Assert.Equal(d[s], eta[2 * s] + eta[2 * s + 1], 9);
        var pi = CliModels.Stochastic().Doubles!;
        for (int i = 0; i < 6; i++)
            Assert.Equal(d[i / 2] * pi[i], eta[i], 9);

        // <eta, R> = J(pi) = mu0 . V^pi.
        double[] r = [0, 0, 0, 1, 4, 2];
        double j = Tabrl.Succeeds("evaluate", model, "--policy", policy, "--format", "json").Json().GetProperty("objective").GetDouble();
        Assert.Equal(j, eta.Zip(r, (x, y) => x * y).Sum(), 9);

        var arrays = ArrayFiles.Read(outPath, "result");
        Assert.Equal(eta, arrays["occupancy"].ToDoubleArray());
        Assert.Equal(d, arrays["state_occupancy"].ToDoubleArray());
        Assert.Equal([3L, 2L], arrays["occupancy"].Shape);
    }

    public static TheoryData<string[], int, int> Generators() => new()
    {
        { ["garnet", "--states", "50", "--actions", "3", "--branching", "4"], 50, 3 },
        { ["garnet", "--states", "40", "--actions", "2", "--branching", "3", "--locality", "5"], 40, 2 },
        { ["gridworld", "--width", "4", "--height", "3", "--wall", "1,1", "--trap", "3,0"], 12, 4 },
        { ["gridworld", "--width", "6", "--height", "6", "--wall-fraction", "0.1"], 36, 4 },
        { ["chain", "--states", "6"], 6, 2 },
        { ["forest", "--states", "3"], 3, 2 },
        { ["random", "--states", "7", "--actions", "3"], 7, 3 },
        { ["random", "--states", "5", "--actions", "2", "--next-state-rewards", "--zero-fraction", "0.3"], 5, 2 },
    };

    [Theory]
    [MemberData(nameof(Generators))]
    public void GenerateInfoAndSolveEveryKind(string[] kind, int states, int actions)
    {
        foreach (string extension in (string[])[".npz", ".json"])
        {
            string path = _dir[kind[0] + extension];
            var table = Tabrl.Succeeds(["generate", .. kind, "--seed", "3", "--out", path]);
            Assert.True(File.Exists(path));
            Assert.Contains("states", table.Out);
            var mdp = ModelFile.Read(path);
            Assert.Equal(states, mdp.StateCount);
            Assert.Equal(actions, mdp.ActionCount);

            string again = _dir["again-" + kind[0] + extension];
            var json = Tabrl.Succeeds(["generate", .. kind, "--seed", "3", "--out", again, "--format", "json"]).Json();
            Assert.Equal(states, json.GetProperty("num_states").GetInt32());
            Assert.Equal(actions, json.GetProperty("num_actions").GetInt32());
            Assert.True(File.ReadAllBytes(path).AsSpan().SequenceEqual(File.ReadAllBytes(again)), "the same seed must give the same file");

            var info = Tabrl.Succeeds("info", path);
            Assert.Contains("valid", info.Out);
            var infoJson = Tabrl.Succeeds("info", path, "--format", "json").Json();
            Assert.Equal(states, infoJson.GetProperty("num_states").GetInt32());
            Assert.Equal(actions, infoJson.GetProperty("num_actions").GetInt32());
            Assert.True(infoJson.TryGetProperty("discount", out _));

            var solved = Tabrl.Succeeds("solve", path, "--method", "pi", "--format", "json").Json();
            Assert.Equal(states, solved.GetProperty("values").GetArrayLength());
            Assert.True(solved.GetProperty("converged").GetBoolean());
        }
    }

    [Fact]
    public void GeneratedForestMatchesTheToolboxValues()
    {
        string path = _dir["forest-generated.npz"];
        Tabrl.Succeeds("generate", "forest", "--out", path);
        var json = Tabrl.Succeeds("solve", path, "--method", "pi", "--format", "json").Json();
        Assert.Equal(CliModels.ForestValues, CliModels.Doubles(json.GetProperty("values")), (x, y) => Math.Abs(x - y) < 1e-9);
    }

    [Fact]
    public void GarnetHasExactlyKDistinctNextStatesPerRow()
    {
        string path = _dir["garnet.npz"];
        Tabrl.Succeeds("generate", "garnet", "--states", "30", "--actions", "2", "--branching", "5", "--seed", "9", "--out", path);
        var mdp = ModelFile.Read(path);
        var indptr = mdp.RowPointers;
        for (int row = 0; row < 60; row++)
            Assert.Equal(5, indptr[row + 1] - indptr[row]);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentGarnets()
    {
        string a = _dir["a.npz"], b = _dir["b.npz"];
        Tabrl.Succeeds("generate", "garnet", "--states", "30", "--seed", "1", "--out", a);
        Tabrl.Succeeds("generate", "garnet", "--states", "30", "--seed", "2", "--out", b);
        Assert.False(File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b)));
    }

    [Fact]
    public void InfoTableAndJsonOnAHandWrittenModel()
    {
        string model = Forest();
        var table = Tabrl.Succeeds("info", model);
        Assert.Contains("valid", table.Out);
        Assert.Contains("states", table.Out);
        var json = Tabrl.Succeeds("info", model, "--format", "json").Json();
        Assert.Equal(3, json.GetProperty("num_states").GetInt32());
        Assert.Equal(2, json.GetProperty("num_actions").GetInt32());
        Assert.Equal(0.9, json.GetProperty("discount").GetDouble());
        Assert.Equal(9, json.GetProperty("nnz").GetInt32());
        Assert.False(json.TryGetProperty("horizon", out _));
    }

    [Theory]
    [InlineData]
    [InlineData("solve")]
    [InlineData("evaluate")]
    [InlineData("occupancy")]
    [InlineData("generate")]
    [InlineData("generate", "garnet")]
    [InlineData("info")]
    public void HelpDescribesEveryCommand(params string[] command)
    {
        var run = Tabrl.Run([.. command, "--help"]);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("Usage", run.Out);
        if (command is ["solve"])
            foreach (string word in (string[])["--method", "--tol", "--max-iter", "--temperature", "--reference", "--out", "--format", "--backend"])
                Assert.Contains(word, run.Out);
    }

    [Fact]
    public void ProgressNeverAppearsOnStderrWhenItIsNotATerminal()
    {
        string path = _dir["slow.npz"];
        Tabrl.Succeeds("generate", "garnet", "--states", "200", "--actions", "2", "--branching", "3", "--discount", "0.999", "--seed", "2", "--out", path);
        var run = Tabrl.Succeeds("solve", path, "--method", "vi", "--tol", "1e-10", "--format", "json");
        Assert.True(run.Json().GetProperty("iterations").GetInt32() > 10000, run.Describe());
        Assert.Equal("", run.Error);
        var gs = Tabrl.Succeeds("solve", path, "--method", "gs", "--tol", "1e-10");
        Assert.Equal("", gs.Error);
    }

    [Fact]
    public void ProgressIsShownWhenStderrIsATerminal()
    {
        // Positive control for the test above: the same run on a terminal does report progress.
        string path = _dir["slow.npz"];
        Tabrl.Succeeds("generate", "garnet", "--states", "200", "--actions", "2", "--branching", "3", "--discount", "0.999", "--seed", "2", "--out", path);
        var run = Tabrl.Run(errorIsTerminal: true, "solve", path, "--method", "vi", "--tol", "1e-10");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("iteration", run.Error);
        Assert.DoesNotContain("error:", run.Error);
    }

    [Fact]
    public void RowToleranceIsAnOption()
    {
        var arrays = CliModels.Forest();
        arrays["transitions_data"] = NdArray.FromDoubles([0.1, 0.9 + 1e-7, 1.0, 0.1, 0.9, 1.0, 0.1, 0.9, 1.0], 9);
        string model = CliModels.Write(_dir["loose.npz"], arrays);
        Tabrl.FailsWithBadInput(null, ["solve", model], "(s=0, a=0)");
        Tabrl.FailsWithBadInput(null, ["info", model], "(s=0, a=0)");
        Tabrl.Succeeds("solve", model, "--row-tolerance", "1e-6");
        Tabrl.Succeeds("info", model, "--row-tolerance", "1e-6");
    }

    [Fact]
    public void NotConvergedIsAWarningNotAFailure()
    {
        var run = Tabrl.Run("solve", Forest(), "--method", "vi", "--max-iter", "2", "--format", "json");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.False(run.Json().GetProperty("converged").GetBoolean());
        Assert.StartsWith("warning:", run.Error);
    }

    [Fact]
    public void ExplicitBackendsWork()
    {
        string model = Forest();
        foreach (string backend in (string[])["auto", "cpu", "reference"])
        {
            var json = Tabrl.Succeeds("solve", model, "--method", "vi", "--backend", backend, "--format", "json").Json();
            Assert.Equal(CliModels.ForestValues, CliModels.Doubles(json.GetProperty("values")), (x, y) => Math.Abs(x - y) < 1e-7);
        }
        var verbose = Tabrl.Run("solve", model, "--backend", "reference", "--verbose");
        Assert.Equal(0, verbose.ExitCode);
        Assert.Contains("reference", verbose.Error);
    }
}
