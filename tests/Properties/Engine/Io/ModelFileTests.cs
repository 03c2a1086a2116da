using TabularRL.Engine.Generators;
using TabularRL.Engine.Io;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels.Backends;

namespace TabularRL.Tests.Engine.Io;

/// <summary>Model, policy, reward and result files round-trip, and malformed or inconsistent files fail clearly.</summary>
public sealed class ModelFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tabrl-io-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => System.IO.Path.Combine(_directory, name);

    public static TheoryData<string> Extensions => new() { ".npz", ".json" };

    [Theory]
    [MemberData(nameof(Extensions))]
    public void Model_GarnetWrittenAndRead_IsIdentical(string extension)
    {
        var mdp = Garnet.Create(new GarnetOptions { States = 50, Actions = 3, Branching = 4, Seed = 7 });
        var back = RoundTrip(mdp, extension);
        AssertSameModel(mdp, back);
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void Model_NextStateRewardsAndHorizon_AreKept(string extension)
    {
        var mdp = Gridworld.Create(new GridworldOptions { Width = 4, Height = 3, Traps = [(1, 1)], Seed = 1 }).WithHorizon(6);
        Assert.True(mdp.HasTransitionRewards);
        var back = RoundTrip(mdp, extension);
        AssertSameModel(mdp, back);
        Assert.Equal(6, back.Horizon);
        Assert.Equal(mdp.TransitionRewards.ToArray(), back.TransitionRewards.ToArray());
    }

    [Fact]
    public void Model_StageDependentDenseArrays_ReadAsCsrWithStages()
    {
        // Two stages, two states, one action: stage 0 moves 0 -> 1, stage 1 stays; rewards differ by stage.
        var arrays = new Dictionary<string, NdArray>
        {
            ["num_states"] = NdArray.Scalar(2L),
            ["num_actions"] = NdArray.Scalar(1L),
            ["discount"] = NdArray.Scalar(1.0),
            ["horizon"] = NdArray.Scalar(2L),
            ["transitions"] = NdArray.FromDoubles([0, 1, 0, 1, 1, 0, 0, 1], 2, 2, 1, 2),
            ["rewards"] = NdArray.FromDoubles([1, 2, 10, 20], 2, 2, 1),
        };
        var mdp = ModelFile.FromArrays(arrays);
        Assert.Equal(2, mdp.TransitionStageCount);
        Assert.Equal(2, mdp.RewardStageCount);
        var back = RoundTrip(mdp, ".npz");
        AssertSameModel(mdp, back);

        using var backend = new ReferenceBackend();
        var result = BackwardInduction.Solve(back, backend);
        // V_1 = r_1 = (10, 20); V_0(0) = 1 + V_1(1) = 21, V_0(1) = 2 + V_1(1) = 22.
        Assert.Equal([21.0, 22.0, 10.0, 20.0], result.Values.ToArray());
    }

    [Fact]
    public void Model_Int64IndicesAndInt32Indptr_AreAccepted()
    {
        var arrays = TwoStateArrays();
        arrays["transitions_indices"] = NdArray.FromLongs([0, 1, 1], 3);
        arrays["transitions_indptr"] = NdArray.FromInts([0, 2, 3], 3);
        var mdp = ModelFile.FromArrays(arrays);
        Assert.Equal([0, 1, 1], mdp.Columns.ToArray());
    }

    [Theory]
    [InlineData("num_states", "missing")]
    [InlineData("discount", "missing")]
    [InlineData("rewards", "missing")]
    public void Model_MissingKey_NamesTheKey(string key, string expected)
    {
        var arrays = TwoStateArrays();
        arrays.Remove(key);
        var e = Assert.Throws<ModelValidationException>(() => ModelFile.FromArrays(arrays));
        Assert.Equal(key, e.Key);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Model_FloatIndices_AreRejectedWithTheKey()
    {
        var arrays = TwoStateArrays();
        arrays["transitions_indices"] = NdArray.FromDoubles([0, 1, 1], 3);
        var e = Assert.Throws<ModelValidationException>(() => ModelFile.FromArrays(arrays));
        Assert.Equal("transitions_indices", e.Key);
        Assert.Contains("integers", e.Message);
    }

    [Fact]
    public void Model_TruncatedFile_IsAnArrayFileErrorNamingTheFile()
    {
        var path = PathOf("model.npz");
        ModelFile.Write(path, Garnet.Create(new GarnetOptions { States = 20, Actions = 2, Branching = 3, Seed = 1 }));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.ThrowsAny<ArrayFileException>(() => ModelFile.Read(path));
        Assert.Contains("model.npz", e.Message);
    }

    [Fact]
    public void Model_WrongExtension_IsRejectedBeforeReading()
    {
        var e = Assert.Throws<ArrayFileException>(() => ModelFile.Read(PathOf("model.txt")));
        Assert.Contains(".npz or .json", e.Message);
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void Result_WrittenAndRead_IsIdentical(string extension)
    {
        var mdp = Garnet.Create(new GarnetOptions { States = 30, Actions = 3, Branching = 3, Seed = 2 });
        using var backend = new CpuBackend();
        var result = ValueIteration.Solve(mdp, new SolverOptions { Tolerance = 1e-6 }, backend);
        var path = PathOf("result" + extension);
        ResultFile.Write(path, result);
        var back = ResultFile.Read(path);
        Assert.Equal(result.Values.ToArray(), back.Values.ToArray());
        Assert.Equal(result.QValues.ToArray(), back.QValues.ToArray());
        Assert.Equal(result.Policy.ToArray(), back.Policy.ToArray());
        Assert.Equal(result.Actions.ToArray(), back.Actions.ToArray());
        Assert.Equal(result.Iterations, back.Iterations);
        Assert.Equal(result.Residual, back.Residual);
        Assert.Equal(result.ErrorBound, back.ErrorBound);
        Assert.Equal(result.Converged, back.Converged);
        Assert.Equal("value-iteration", back.Method);
        Assert.Null(back.Horizon);
    }

    [Fact]
    public void Result_FiniteHorizonOfOneStage_KeepsTheStageAxis()
    {
        var mdp = Forest.Create(new ForestOptions()).WithHorizon(1);
        using var backend = new CpuBackend();
        var path = PathOf("result.npz");
        ResultFile.Write(path, BackwardInduction.Solve(mdp, backend));
        var arrays = NpzArchive.Read(path);
        Assert.Equal([1L, 3L], arrays["values"].Shape);
        Assert.Equal([1L, 3L, 2L], arrays["q_values"].Shape);
        Assert.Equal(1, ResultFile.Read(path).Horizon);
    }

    [Fact]
    public void Policy_DeterministicAndStochasticFiles_ReadBack()
    {
        var mdp = Forest.Create(new ForestOptions());
        var actionsPath = PathOf("actions.npy");
        NpyFormat.WriteFile(actionsPath, NdArray.FromLongs([1, 0, 1], 3));
        var deterministic = PolicyFile.Read(actionsPath, mdp);
        Assert.Equal([0.0, 1, 1, 0, 0, 1], deterministic.Probabilities.ToArray());

        var stochasticPath = PathOf("policy.npy");
        PolicyFile.Write(stochasticPath, Policy.FromProbabilities([0.25, 0.75, 1, 0, 0.5, 0.5], 1, 3, 2));
        Assert.Equal([0.25, 0.75, 1, 0, 0.5, 0.5], PolicyFile.Read(stochasticPath, mdp).Probabilities.ToArray());
    }

    [Fact]
    public void Policy_FromResultFile_UsesItsPolicyKey()
    {
        var mdp = Forest.Create(new ForestOptions());
        using var backend = new CpuBackend();
        var result = PolicyIteration.Solve(mdp, new PolicyIterationOptions(), backend);
        var path = PathOf("result.json");
        ResultFile.Write(path, result);
        Assert.Equal(result.Policy.ToArray(), PolicyFile.Read(path, mdp).Probabilities.ToArray());
    }

    [Fact]
    public void Policy_ProbabilitiesOfWrongShape_NameTheShape()
    {
        var path = PathOf("bad.npy");
        NpyFormat.WriteFile(path, NdArray.FromDoubles(new double[9], 3, 3));
        var e = Assert.Throws<ModelValidationException>(() => PolicyFile.Read(path, Forest.Create(new ForestOptions())));
        Assert.Contains("shape (3, 3)", e.Message);
    }

    [Fact]
    public void Policy_ActionOutOfRange_NamesStateAndAction()
    {
        var path = PathOf("bad.npy");
        NpyFormat.WriteFile(path, NdArray.FromLongs([0, 5, 1], 3));
        var e = Assert.Throws<ModelValidationException>(() => PolicyFile.Read(path, Forest.Create(new ForestOptions())));
        Assert.Contains("(s=1) is 5, out of range [0, 2)", e.Message);
    }

    [Fact]
    public void Reward_NextStateFile_GivesExpectedRewards()
    {
        var mdp = Forest.Create(new ForestOptions());
        var path = PathOf("reward.npy");
        // R(s,a,s') = s' makes rbar(s,a) the expected next state.
        var reward = new double[3 * 2 * 3];
        for (int i = 0; i < reward.Length; i++) reward[i] = i % 3;
        RewardFile.Write(path, reward, 3, 2, 3);
        var expected = RewardFile.ReadExpected(path, mdp);
        // Wait from s = 0 moves to 1 w.p. 0.9 (fire to 0 w.p. 0.1); cut always goes to 0.
        Assert.Equal(0.9, expected[0], 12);
        Assert.Equal(0.0, expected[1], 12);
        Assert.Equal(2 * 0.9, expected[4], 12);
    }

    private Mdp RoundTrip(Mdp mdp, string extension)
    {
        var path = PathOf("model" + extension);
        ModelFile.Write(path, mdp);
        return ModelFile.Read(path);
    }

    private static void AssertSameModel(Mdp expected, Mdp actual)
    {
        Assert.Equal(expected.StateCount, actual.StateCount);
        Assert.Equal(expected.ActionCount, actual.ActionCount);
        Assert.Equal(expected.Discount, actual.Discount);
        Assert.Equal(expected.Horizon, actual.Horizon);
        Assert.Equal(expected.RowPointers.ToArray(), actual.RowPointers.ToArray());
        Assert.Equal(expected.Columns.ToArray(), actual.Columns.ToArray());
        Assert.Equal(expected.Probabilities.ToArray(), actual.Probabilities.ToArray());
        Assert.Equal(expected.ExpectedRewards.ToArray(), actual.ExpectedRewards.ToArray());
        Assert.Equal(expected.InitialDistribution.ToArray(), actual.InitialDistribution.ToArray());
    }

    private static Dictionary<string, NdArray> TwoStateArrays() => new()
    {
        ["num_states"] = NdArray.Scalar(2L),
        ["num_actions"] = NdArray.Scalar(1L),
        ["discount"] = NdArray.Scalar(0.5),
        ["transitions_indptr"] = NdArray.FromLongs([0, 2, 3], 3),
        ["transitions_indices"] = NdArray.FromInts([0, 1, 1], 3),
        ["transitions_data"] = NdArray.FromDoubles([0.5, 0.5, 1], 3),
        ["rewards"] = NdArray.FromDoubles([1, 0], 2, 1),
    };
}
