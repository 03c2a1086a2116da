using TabularRL.Engine.Io;

namespace TabularRL.Tests.Cli;

/// <summary>Finite-horizon models: values [H,S], exact backward induction for vi/gs/pi/mpi (INTERFACES.md sections 3 and 4).</summary>
public sealed class CliFiniteHorizonTests : IDisposable
{
    private const int H = 5;
    private readonly CliScratch _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Kinds() => ["forest", "garnet", "chain", "random", "gridworld"];

    private string Generate(string kind)
    {
        string path = _dir[$"{kind}-h{H}.npz"];
        string[] extra = kind == "garnet" ? ["--states", "20", "--actions", "3", "--branching", "4"] : [];
        var run = Tabrl.Succeeds(["generate", kind, .. extra, "--horizon", H.ToString(), "--seed", "4", "--out", path]);
        Assert.Contains("horizon", run.Out);
        return path;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ExactMethodsAllRunBackwardInductionWithStagedValues(string kind)
    {
        string model = Generate(kind);
        var mdp = ModelFile.Read(model);
        Assert.Equal(H, mdp.Horizon);
        int S = mdp.StateCount, A = mdp.ActionCount;
        double[]? reference = null;
        foreach (string method in (string[])["vi", "gs", "pi", "mpi"])
        {
            var run = Tabrl.Succeeds("solve", model, "--method", method, "--format", "json");
            var json = run.Json();
            Assert.Equal("backward-induction", json.GetProperty("method").GetString());
            Assert.Equal([H, S], CliModels.Shape(json.GetProperty("values")));
            Assert.Equal([H, S, A], CliModels.Shape(json.GetProperty("q_values")));
            Assert.Equal([H, S, A], CliModels.Shape(json.GetProperty("policy")));
            Assert.Equal([H, S], CliModels.Shape(json.GetProperty("actions")));
            Assert.True(json.GetProperty("converged").GetBoolean());
            Assert.Equal(0.0, json.GetProperty("error_bound").GetDouble());
            var values = CliModels.Doubles(json.GetProperty("values"));
            reference ??= values;
            Assert.Equal(reference, values);

            var table = Tabrl.Succeeds("solve", model, "--method", method);
            Assert.Contains("backward-induction", table.Out);
            Assert.Contains("horizon 5", table.Out);

            string outPath = _dir[$"{method}.npz"];
            Tabrl.Succeeds("solve", model, "--method", method, "--out", outPath);
            var result = ResultFile.Read(outPath);
            Assert.Equal(H, result.Horizon);
            Assert.Equal("backward-induction", result.Method);
            Assert.Equal([(long)H, S], NpzArchive.Read(outPath)["values"].Shape);
        }
    }

    [Theory]
    [InlineData("soft")]
    [InlineData("kl")]
    public void RegularisedMethodsGiveStagedValues(string method)
    {
        string model = Generate("garnet");
        var json = Tabrl.Succeeds("solve", model, "--method", method, "--format", "json").Json();
        Assert.Equal([H, 20], CliModels.Shape(json.GetProperty("values")));
        Assert.Equal([H, 20, 3], CliModels.Shape(json.GetProperty("policy")));
        var policy = CliModels.Doubles(json.GetProperty("policy"));
        for (int row = 0; row < H * 20; row++)
            Assert.Equal(1.0, policy[3 * row] + policy[3 * row + 1] + policy[3 * row + 2], 10);
    }

    [Fact]
    public void LastStageValuesAreTheBestImmediateReward()
    {
        string model = Generate("forest");
        var json = Tabrl.Succeeds("solve", model, "--format", "json").Json();
        var v = CliModels.Doubles(json.GetProperty("values"));
        var q = CliModels.Doubles(json.GetProperty("q_values"));
        // Forest rewards: wait [0, 0, 4], cut [0, 1, 2]; at the last stage V = max_a R(s,a).
        Assert.Equal([0.0, 1.0, 4.0], v[((H - 1) * 3)..]);
        Assert.Equal([0.0, 0.0, 0.0, 1.0, 4.0, 2.0], q[((H - 1) * 6)..]);
    }

    [Fact]
    public void EvaluateAndOccupancyArePerStage()
    {
        string model = Generate("forest");
        string solved = _dir["solved.npz"];
        Tabrl.Succeeds("solve", model, "--out", solved);
        var optimum = ResultFile.Read(solved);

        var evaluation = Tabrl.Succeeds("evaluate", model, "--policy", solved, "--format", "json").Json();
        Assert.Equal([H, 3], CliModels.Shape(evaluation.GetProperty("values")));
        Assert.Equal(optimum.Values.ToArray(), CliModels.Doubles(evaluation.GetProperty("values")), (x, y) => Math.Abs(x - y) < 1e-9);

        string staged = CliModels.WriteNpy(_dir["staged.npy"], NdArray.FromLongs(new long[H * 3], H, 3));
        var occupancy = Tabrl.Succeeds("occupancy", model, "--policy", staged, "--format", "json").Json();
        Assert.Equal([H, 3, 2], CliModels.Shape(occupancy.GetProperty("occupancy")));
        Assert.Equal([H, 3], CliModels.Shape(occupancy.GetProperty("state_occupancy")));
        var mdp = ModelFile.Read(model);
        double gamma = mdp.Discount;
        double expected = gamma == 1 ? H : (1 - Math.Pow(gamma, H)) / (1 - gamma);
        Assert.Equal(expected, CliModels.Doubles(occupancy.GetProperty("occupancy")).Sum(), 9);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EpisodicModelsMayBeUndiscounted(string kind)
    {
        // INTERFACES.md section 1: 0 <= gamma <= 1 with a horizon.
        string path = _dir[$"{kind}-undiscounted.npz"];
        var json = Tabrl.Succeeds("generate", kind, "--discount", "1", "--horizon", "3", "--seed", "1", "--out", path, "--format", "json").Json();
        Assert.Equal(1.0, json.GetProperty("discount").GetDouble());
        Assert.Equal(3, json.GetProperty("horizon").GetInt32());
        var mdp = ModelFile.Read(path);
        Assert.Equal(1.0, mdp.Discount);
        Assert.Equal(3, mdp.Horizon);
        Tabrl.Succeeds("solve", path, "--method", "vi");
    }

    [Fact]
    public void UndiscountedForestBackwardInduction()
    {
        string path = _dir["forest-undiscounted.npz"];
        Tabrl.Succeeds("generate", "forest", "--discount", "1", "--horizon", "3", "--out", path);
        var json = Tabrl.Succeeds("solve", path, "--format", "json").Json();
        // Worked by hand: stage 2 = max_a R; stage 1 = max_a R + P V_2; stage 0 likewise.
        Assert.Equal([3.33, 6.93, 10.93, 0.9, 3.6, 7.6, 0, 1, 4], CliModels.Doubles(json.GetProperty("values")), (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void DiscountAboveOneIsRefusedEvenWithAHorizon()
    {
        string path = _dir["bad.npz"];
        Tabrl.FailsWithBadInput(path, ["generate", "forest", "--discount", "1.5", "--horizon", "3", "--out", path], "1.5");
        Tabrl.FailsWithBadInput(path, ["generate", "forest", "--discount", "1", "--out", path], "1");
    }

    [Fact]
    public void InfoReportsTheHorizon()
    {
        string model = Generate("chain");
        var json = Tabrl.Succeeds("info", model, "--format", "json").Json();
        Assert.Equal(H, json.GetProperty("horizon").GetInt32());
    }
}
