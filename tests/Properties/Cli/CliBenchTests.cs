using System.Text.Json;

namespace TabularRL.Tests.Cli;

/// <summary>
/// <c>tabrl bench</c> (INTERFACES.md section 4): one JSON array with an object per method whose figures agree with
/// each other, a readable table, model files including finite-horizon ones, and bad input as exit 2. The runs are
/// tiny (a small garnet, three sweeps, an 8 MiB triad): they check the report, not the speed.
/// </summary>
public sealed class CliBenchTests : IDisposable
{
    private const int GarnetStates = 2000, GarnetActions = 4, GarnetBranching = 10;
    private static readonly string[] Small = ["--sweeps", "3", "--triad-mb", "8"];
    private static readonly string[] SmallGarnet = ["--states", "2000", .. Small];

    private readonly CliScratch _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Forest() => CliModels.Write(_dir["forest.npz"], CliModels.Forest());

    [Fact]
    public void Garnet_Json_IsOneArrayWithConsistentPositiveFigures()
    {
        var run = Tabrl.Succeeds(["bench", .. SmallGarnet, "--backend", "cpu", "--format", "json"]);
        var methods = Objects(run);
        Assert.Equal(["hard", "soft", "kl", "policy", "gs"], methods.Select(m => m.GetProperty("method").GetString()));
        long S = GarnetStates, A = GarnetActions, nnz = S * A * GarnetBranching;
        foreach (var m in methods)
        {
            string name = m.GetProperty("method").GetString()!;
            Assert.Equal("cpu", m.GetProperty("backend").GetString());
            Assert.Equal(Environment.ProcessorCount, m.GetProperty("threads").GetInt32());
            Assert.Equal(S, m.GetProperty("states").GetInt64());
            Assert.Equal(A, m.GetProperty("actions").GetInt64());
            Assert.Equal(nnz, m.GetProperty("nnz").GetInt64());
            Assert.Equal(3, m.GetProperty("sweeps").GetInt32());
            Assert.Equal("float64", m.GetProperty("probabilities").GetString());
            // Every garnet row has K entries, so the greedy policy's rows hold S*K of them.
            long bytes = name == "policy" ? 12 * S * GarnetBranching + 36 * S : 12 * nnz + 16 * S * A + 20 * S;
            Assert.Equal(bytes, m.GetProperty("bytes_per_sweep").GetInt64());
            AssertConsistent(m, run);
        }
    }

    [Fact]
    public void Float32Probabilities_Json_SaysSoAndCountsEightBytesPerEntry()
    {
        var run = Tabrl.Succeeds(["bench", .. SmallGarnet, "--backend", "cpu", "--probabilities", "float32", "--format", "json"]);
        long S = GarnetStates, A = GarnetActions, nnz = S * A * GarnetBranching;
        foreach (var m in Objects(run))
        {
            Assert.Equal("float32", m.GetProperty("probabilities").GetString());
            long bytes = m.GetProperty("method").GetString() == "policy" ? 8 * S * GarnetBranching + 36 * S : 8 * nnz + 16 * S * A + 20 * S;
            Assert.Equal(bytes, m.GetProperty("bytes_per_sweep").GetInt64());
            AssertConsistent(m, run);
        }
    }

    [Fact]
    public void Methods_TimesOnlyThoseListedInTheirOrder()
    {
        var run = Tabrl.Succeeds(["bench", .. SmallGarnet, "--methods", "gs,hard", "--format", "json"]);
        Assert.Equal(["gs", "hard"], Objects(run).Select(m => m.GetProperty("method").GetString()));
        Assert.All(Objects(run), m => AssertConsistent(m, run));
    }

    [Theory]
    [InlineData("hard,max", "'max' is not a sweep")]
    [InlineData("soft,soft", "'soft' is listed twice")]
    [InlineData("", "'' is not a sweep")]
    public void BadMethods_IsBadInputNamingIt(string methods, string mention)
        => Tabrl.FailsWithBadInput(null, ["bench", "--states", "100", "--methods", methods], "--methods", mention);

    [Fact]
    public void UnknownProbabilityStorage_IsBadInputNamingIt()
        => Tabrl.FailsWithBadInput(null, ["bench", "--states", "100", "--probabilities", "float16"], "float16");

    [Fact]
    public void ModelFile_Json_ReportsTheModelsSizes()
    {
        var run = Tabrl.Succeeds(["bench", Forest(), .. Small, "--backend", "reference", "--threads", "2", "--format", "json"]);
        var methods = Objects(run);
        Assert.Contains(methods, m => m.GetProperty("method").GetString() == "kl");
        foreach (var m in methods)
        {
            Assert.Equal("reference", m.GetProperty("backend").GetString());
            // The reference backend is single-threaded whatever --threads says.
            Assert.Equal(1, m.GetProperty("threads").GetInt32());
            Assert.Equal(CliModels.S, m.GetProperty("states").GetInt32());
            Assert.Equal(9, m.GetProperty("nnz").GetInt64());
            AssertConsistent(m, run);
        }
        // Forest: the optimal policy waits everywhere, rows (s, wait) hold 2 entries each: 12*6 + 36*3.
        var policy = methods.Single(m => m.GetProperty("method").GetString() == "policy");
        Assert.Equal(12 * 6 + 36 * 3, policy.GetProperty("bytes_per_sweep").GetInt64());
    }

    [Fact]
    public void FiniteHorizonModel_BenchesStageZero()
    {
        string path = _dir["forest-h4.npz"];
        Tabrl.Succeeds("generate", "forest", "--horizon", "4", "--out", path);
        var methods = Objects(Tabrl.Succeeds(["bench", path, .. Small, "--format", "json"]));
        Assert.All(methods, m => Assert.Equal(9, m.GetProperty("nnz").GetInt64()));
    }

    [Fact]
    public void Threads_ChoosesTheCpuBackendsThreadCount()
    {
        var run = Tabrl.Succeeds(["bench", "--states", "300", .. Small, "--backend", "cpu", "--threads", "1", "--format", "json"]);
        Assert.All(Objects(run), m => Assert.Equal(1, m.GetProperty("threads").GetInt32()));
    }

    [Fact]
    public void Table_HasAHeaderLineAndARowPerMethod()
    {
        var run = Tabrl.Succeeds(["bench", "--states", "300", "--locality", "20", .. Small, "--backend", "cpu", "--threads", "1"]);
        string header = run.Out.Split('\n')[0];
        foreach (string part in (string[])["backend cpu", "1 thread", "S=300", "A=4", "nnz=12000", "triad", "GB/s"])
            Assert.True(header.Contains(part, StringComparison.Ordinal), $"header lacks '{part}'\n{run.Describe()}");
        var lines = run.Out.Split('\n');
        foreach (string method in (string[])["hard", "soft", "kl", "policy", "gs"])
            Assert.Contains(lines, l => l.StartsWith(method + " ", StringComparison.Ordinal));
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(run.Out));
    }

    [Fact]
    public void ModelAndGeneratorOption_IsBadInput()
        => Tabrl.FailsWithBadInput(null, ["bench", Forest(), "--states", "100"], "--states", "MODEL");

    [Theory]
    [InlineData("--sweeps", "0")]
    [InlineData("--threads", "-1")]
    [InlineData("--triad-mb", "0")]
    [InlineData("--branching", "0")]
    [InlineData("--locality", "-1")]
    public void OutOfRangeOption_IsBadInputNamingIt(string option, string value)
        => Tabrl.FailsWithBadInput(null, ["bench", "--states", "100", option, value], option);

    [Fact]
    public void BranchingAboveStates_IsBadInputNamingBoth()
        => Tabrl.FailsWithBadInput(null, ["bench", "--states", "5", "--branching", "6"], "--branching", "--states");

    [Fact]
    public void MissingModelFile_IsBadInputNamingThePath()
    {
        string missing = _dir["no-such-model.npz"];
        Tabrl.FailsWithBadInput(null, ["bench", missing], "no-such-model.npz");
    }

    [Fact]
    public void UnavailableBackend_IsBadInput()
        => Tabrl.FailsWithBadInput(null, ["bench", "--states", "100", "--backend", "cuda"], "--backend", "cuda");

    [Fact]
    public void Out_IsBadInputBecauseBenchWritesNoFile()
        => Tabrl.FailsWithBadInput(null, ["bench", "--states", "100", "--out", _dir["bench.json"]], "--out");

    private static JsonElement[] Objects(CliRun run)
    {
        var json = run.Json();
        Assert.True(json.ValueKind == JsonValueKind.Array, "stdout must be one JSON array\n" + run.Describe());
        Assert.True(json.GetArrayLength() > 0, run.Describe());
        return [.. json.EnumerateArray()];
    }

    // The figures of one method: positive and finite, and each derived one equal to its definition.
    private static void AssertConsistent(JsonElement m, CliRun run)
    {
        string name = m.GetProperty("method").GetString()!;
        double Positive(string key)
        {
            double x = m.GetProperty(key).GetDouble();
            Assert.True(double.IsFinite(x) && x > 0, $"{name}: {key} = {x} is not positive and finite\n{run.Describe()}");
            return x;
        }
        double median = Positive("ms_per_sweep"), min = Positive("min_ms"), effective = Positive("effective_gbps");
        double triad = Positive("triad_gbps"), fraction = Positive("bandwidth_fraction");
        Assert.True(min <= median, $"{name}: min_ms {min} > ms_per_sweep {median}\n{run.Describe()}");
        double bytes = m.GetProperty("bytes_per_sweep").GetInt64();
        AssertClose(bytes / (median * 1e6), effective, $"{name}: effective_gbps", run);
        AssertClose(effective / triad, fraction, $"{name}: bandwidth_fraction", run);
    }

    private static void AssertClose(double expected, double actual, string what, CliRun run)
        => Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Abs(expected), $"{what} = {actual}, expected {expected}\n{run.Describe()}");
}
