using TabularRL.Tests.Backends;

namespace TabularRL.Tests.Cli;

/// <summary>
/// --backend cuda|auto and TABRL_BACKEND on a machine without CUDA (INTERFACES.md section 4): asking for CUDA is exit 2
/// with one error line that says why; auto runs the CPU backend and, with --verbose, says why not CUDA. Where CUDA is
/// present these are skipped, saying so, and the contract tests run on the device instead.
/// </summary>
[Collection("Environment")]
public sealed class CliCudaSelectionTests : IDisposable
{
    private const string Variable = "TABRL_BACKEND";
    private readonly string? _saved = Environment.GetEnvironmentVariable(Variable);
    private readonly CliScratch _dir = new();

    public CliCudaSelectionTests()
    {
        Environment.SetEnvironmentVariable(Variable, null);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(Variable, _saved);
        _dir.Dispose();
    }

    private string Model() => CliModels.Write(_dir["forest.npz"], CliModels.Forest());

    [NoCudaFact]
    public void Solve_BackendCudaWithoutDriver_ExitsTwoWithOneLineNamingLibcuda()
    {
        string outPath = _dir["out.npz"];
        var run = Tabrl.FailsWithBadInput(outPath, ["solve", Model(), "--backend", "cuda", "--out", outPath], "cuda", "not available", CudaAvailability.Reason);
        if (CudaAvailability.Reason.Contains("libcuda.so.1"))
            Assert.Contains("libcuda.so.1 not found", run.Error);
    }

    [NoCudaFact]
    public void Solve_CudaFromEnvironmentWithoutDriver_ExitsTwo()
    {
        Environment.SetEnvironmentVariable(Variable, "cuda");
        string outPath = _dir["out.npz"];
        Tabrl.FailsWithBadInput(outPath, ["solve", Model(), "--out", outPath], "cuda", CudaAvailability.Reason);
    }

    [NoCudaFact]
    public void Solve_AutoVerboseWithoutDriver_SaysCpuRanAndWhyNotCuda()
    {
        var run = Tabrl.Run("solve", Model(), "--method", "vi", "--backend", "auto", "--verbose");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains($"backend: cpu (asked for 'auto'; cuda not used: {CudaAvailability.Reason})", run.Error);
    }

    [NoCudaFact]
    public void Solve_AutoQuietWithoutDriver_SaysNothingOnStderr()
        => Tabrl.Succeeds("solve", Model(), "--method", "vi", "--backend", "auto");

    [CudaFact]
    public void Solve_AutoVerboseWithDevice_SaysCudaRan()
    {
        var run = Tabrl.Run("solve", Model(), "--method", "vi", "--backend", "auto", "--verbose");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("backend: cuda (asked for 'auto')", run.Error);
    }

    [CudaFact]
    public void Solve_BackendCudaWithDevice_MatchesCpu()
    {
        string model = Model();
        var cuda = Tabrl.Succeeds("solve", model, "--method", "vi", "--backend", "cuda", "--format", "json").Json();
        Assert.Equal(CliModels.ForestValues, CliModels.Doubles(cuda.GetProperty("values")), (x, y) => Math.Abs(x - y) < 1e-7);
    }
}
