using TabularRL.Engine.Io;

namespace TabularRL.Tests.Cli;

/// <summary>A garnet with S = 100000, A = 4, K = 10, generated once and shared by the tests of this class.</summary>
public sealed class LargeGarnetFixture : IDisposable
{
    public LargeGarnetFixture()
    {
        Scratch = new CliScratch();
        ModelPath = Scratch["garnet-100k.npz"];
        // gamma = 0.9 keeps the VI run short (about 150 sweeps for 1e-6) without changing what is tested.
        var run = Tabrl.Run("generate", "garnet", "--states", "100000", "--actions", "4", "--branching", "10",
            "--discount", "0.9", "--seed", "7", "--out", ModelPath);
        GenerateRun = run;
    }

    internal CliScratch Scratch { get; }

    public string ModelPath { get; }

    internal CliRun GenerateRun { get; }

    public void Dispose() => Scratch.Dispose();
}

/// <summary>Large sparse models go through the CLI in-process: generate, then solve with pi and vi (no timing assertions).</summary>
public sealed class CliLargeGarnetTests(LargeGarnetFixture garnet) : IClassFixture<LargeGarnetFixture>
{
    [Fact]
    public void GenerateWroteTheModel()
    {
        Assert.True(garnet.GenerateRun.ExitCode == 0, garnet.GenerateRun.Describe());
        Assert.Equal("", garnet.GenerateRun.Error);
        var info = Tabrl.Succeeds("info", garnet.ModelPath, "--format", "json").Json();
        Assert.Equal(100000, info.GetProperty("num_states").GetInt32());
        Assert.Equal(4, info.GetProperty("num_actions").GetInt32());
        Assert.Equal(4_000_000, info.GetProperty("nnz").GetInt64());
    }

    [Fact]
    public void PolicyIterationConverges()
    {
        Assert.Equal(0, garnet.GenerateRun.ExitCode);
        string outPath = garnet.Scratch["pi.npz"];
        var run = Tabrl.Succeeds("solve", garnet.ModelPath, "--method", "pi", "--out", outPath);
        Assert.Contains("... 99980 more states not shown", run.Out);
        var result = ResultFile.Read(outPath);
        Assert.True(result.Converged);
        Assert.Equal(100000, result.Values.Length);
        Assert.True(result.ErrorBound <= 1e-8, $"error bound {result.ErrorBound}");
        // Rewards are in [0,1): 0 <= V <= 1/(1-gamma).
        foreach (double v in result.Values)
            Assert.InRange(v, 0, 10 + 1e-9);
    }

    [Fact]
    public void ValueIterationConvergesToTolerance()
    {
        Assert.Equal(0, garnet.GenerateRun.ExitCode);
        string outPath = garnet.Scratch["vi.npz"];
        Tabrl.Succeeds("solve", garnet.ModelPath, "--method", "vi", "--tol", "1e-6", "--out", outPath);
        var result = ResultFile.Read(outPath);
        Assert.True(result.Converged);
        Assert.True(result.ErrorBound <= 1e-6, $"error bound {result.ErrorBound}");
        Assert.Equal(100000, result.Values.Length);
    }
}
