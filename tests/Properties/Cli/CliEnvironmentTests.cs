namespace TabularRL.Tests.Cli;

/// <summary>Tests that change process-wide environment variables run alone, after every parallel collection.</summary>
[CollectionDefinition("Environment", DisableParallelization = true)]
public sealed class EnvironmentCollection;

/// <summary>TABRL_BACKEND selects the backend when --backend is not given (INTERFACES.md section 4).</summary>
[Collection("Environment")]
public sealed class CliEnvironmentTests : IDisposable
{
    private const string Variable = "TABRL_BACKEND";
    private readonly string? _saved = Environment.GetEnvironmentVariable(Variable);
    private readonly CliScratch _dir = new();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(Variable, _saved);
        _dir.Dispose();
    }

    private string Model() => CliModels.Write(_dir["forest.npz"], CliModels.Forest());

    [Theory]
    [InlineData("reference")]
    [InlineData("cpu")]
    [InlineData("auto")]
    [InlineData("REFERENCE")]
    public void KnownBackendFromTheEnvironmentWorks(string name)
    {
        Environment.SetEnvironmentVariable(Variable, name);
        string model = Model();
        string policy = CliModels.WriteNpy(_dir["policy.npy"], CliModels.WaitEverywhere());
        var json = Tabrl.Succeeds("solve", model, "--method", "vi", "--format", "json").Json();
        Assert.Equal(CliModels.ForestValues, CliModels.Doubles(json.GetProperty("values")), (x, y) => Math.Abs(x - y) < 1e-7);
        Tabrl.Succeeds("evaluate", model, "--policy", policy);
        Tabrl.Succeeds("occupancy", model, "--policy", policy);
    }

    [Fact]
    public void VerboseSaysTheEnvironmentBackendRan()
    {
        Environment.SetEnvironmentVariable(Variable, "reference");
        var run = Tabrl.Run("solve", Model(), "--verbose");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("backend: reference", run.Error);
    }

    [Theory]
    [InlineData("quantum")]
    [InlineData("gpu")]
    public void UnknownOrUnavailableBackendFromTheEnvironmentExitsTwo(string name)
    {
        Environment.SetEnvironmentVariable(Variable, name);
        string model = Model();
        string policy = CliModels.WriteNpy(_dir["policy.npy"], CliModels.WaitEverywhere());
        string outPath = _dir["out.npz"];
        Tabrl.FailsWithBadInput(outPath, ["solve", model, "--out", outPath], name);
        Tabrl.FailsWithBadInput(outPath, ["evaluate", model, "--policy", policy, "--out", outPath], name);
        Tabrl.FailsWithBadInput(outPath, ["occupancy", model, "--policy", policy, "--out", outPath], name);
    }

    [Fact]
    public void TheOptionOverridesTheEnvironment()
    {
        Environment.SetEnvironmentVariable(Variable, "quantum");
        var run = Tabrl.Succeeds("solve", Model(), "--backend", "reference");
        Assert.Contains("26.24", run.Out);
    }

    [Fact]
    public void CommandsThatDoNotComputeIgnoreTheVariable()
    {
        Environment.SetEnvironmentVariable(Variable, "quantum");
        Tabrl.Succeeds("info", Model());
        Tabrl.Succeeds("generate", "forest", "--out", _dir["generated.npz"]);
    }
}
