using TabularRL.Engine.Benchmarking;
using TabularRL.Engine.Generators;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;

namespace TabularRL.Tests.Engine.Benchmarking;

/// <summary>The sweep benchmark's byte counts and bookkeeping (STYLE.md, Benchmarks); timings themselves are not asserted.</summary>
public sealed class SweepBenchmarkTests
{
    // Forest (S=3, A=2): rows (s, wait) hold 2 entries, rows (s, cut) 1; reward 4 for waiting in the oldest state.
    private static BellmanProblem Forest() => TabularRL.Engine.Generators.Forest.Create(new ForestOptions()).ProblemAt(0);

    [Fact]
    public void CompulsoryBytes_Forest_CountsEntriesRowsAndStates()
        => Assert.Equal(12 * 9 + 16 * 6 + 20 * 3, SweepBenchmark.CompulsoryBytes(Forest()));

    [Theory]
    [InlineData(new[] { 0, 0, 0 }, 6)]
    [InlineData(new[] { 1, 1, 1 }, 3)]
    [InlineData(new[] { 0, 1, 0 }, 5)]
    public void CompulsoryBytes_Policy_CountsOnlyTheSelectedRows(int[] actions, long selectedEntries)
        => Assert.Equal(12 * selectedEntries + 36 * 3, SweepBenchmark.CompulsoryBytes(Forest(), actions));

    [Theory]
    [InlineData(new[] { 0, 0 }, "actionsS")]
    [InlineData(new[] { 0, 2, 0 }, "actionsS")]
    public void CompulsoryBytes_BadPolicy_Throws(int[] actions, string name)
        => Assert.Equal(name, Assert.Throws<ArgumentException>(() => SweepBenchmark.CompulsoryBytes(Forest(), actions)).ParamName);

    [Fact]
    public void Run_EveryMethod_ReportsInOrderWithConsistentFigures()
    {
        var problem = Garnet.Create(new GarnetOptions { States = 200, Actions = 3, Branching = 5, Seed = 2 }).ProblemAt(0);
        using var backend = new ReferenceBackend();
        var timings = SweepBenchmark.Run(problem, backend, new SweepBenchmarkOptions { Sweeps = 4, WarmupSweeps = 1 });
        Assert.Equal(SweepMethodNames.All, timings.Select(t => t.Method));
        Assert.Equal(["hard", "soft", "kl", "policy", "gs"], timings.Select(t => t.Name));
        foreach (var t in timings)
        {
            Assert.Equal(4, t.Sweeps);
            Assert.True(t.MinMilliseconds > 0 && t.MinMilliseconds <= t.MedianMilliseconds, $"{t.Name}: min {t.MinMilliseconds}, median {t.MedianMilliseconds}");
            Assert.Equal(t.BytesPerSweep / (t.MedianMilliseconds * 1e6), t.EffectiveGBps, 12);
            long expected = t.Method == SweepMethod.Policy ? 12 * 200 * 5 + 36 * 200 : SweepBenchmark.CompulsoryBytes(problem);
            Assert.Equal(expected, t.BytesPerSweep);
        }
    }

    [Fact]
    public void Run_PolicyAlone_EvaluatesTheGreedyPolicyOfAHardSweep()
    {
        // Forest's greedy policy after a few sweeps waits everywhere (rows of 2 entries), whichever methods ran before.
        using var backend = new ReferenceBackend();
        var timing = Assert.Single(SweepBenchmark.Run(Forest(), backend, new SweepBenchmarkOptions { Sweeps = 3, Methods = [SweepMethod.Policy] }));
        Assert.Equal(12 * 6 + 36 * 3, timing.BytesPerSweep);
    }

    [Fact]
    public void Run_Diverging_ThrowsNumericalException()
    {
        // Rewards of 1e308 overflow on the first sweep that adds gamma V to them.
        var huge = TabularRL.Engine.Generators.Forest.Create(new ForestOptions { RewardWait = 1e308, RewardCut = 1e308 }).ProblemAt(0);
        using var backend = new ReferenceBackend();
        var e = Assert.Throws<NumericalException>(() => SweepBenchmark.Run(huge, backend, new SweepBenchmarkOptions { Sweeps = 3, Methods = [SweepMethod.Hard] }));
        Assert.Contains("bench hard", e.Message);
    }

    [Theory]
    [InlineData(0, 2, "Sweeps")]
    [InlineData(1, -1, "WarmupSweeps")]
    public void Validate_OutOfRange_ThrowsNamingTheOption(int sweeps, int warmup, string name)
        => Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => new SweepBenchmarkOptions { Sweeps = sweeps, WarmupSweeps = warmup }.Validate()).ParamName);

    [Fact]
    public void Validate_RepeatedMethod_Throws()
        => Assert.Equal("Methods", Assert.Throws<ArgumentException>(() => new SweepBenchmarkOptions { Methods = [SweepMethod.Kl, SweepMethod.Kl] }.Validate()).ParamName);
}
