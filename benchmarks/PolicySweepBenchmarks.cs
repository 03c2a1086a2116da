using BenchmarkDotNet.Attributes;

namespace TabularRL.Benchmarks;

/// <summary>One evaluation sweep of a deterministic policy: vOut(s) = Q(s, pi(s)), reading one row of the A per state.</summary>
[MemoryDiagnoser]
public class PolicySweepBenchmarks : SweepBenchmarks
{
    private int[] _actionsS = null!;

    /// <summary>Reads V, pi and the selected rows, writes V'; returns the sup-norm change so the JIT keeps the work.</summary>
    [Benchmark]
    [SweepTraffic(SweepRows.SelectedAction)]
    public double DeterministicPolicySweep() => Bellman.DeterministicPolicyBackup(Problem, _actionsS, VS, VOutS);

    /// <summary>[S] seeded random actions: a pattern such as s mod A would space the selected rows evenly, which a solver's policy does not.</summary>
    protected override void SetupOperation()
    {
        var random = new Random(BenchmarkModels.Seed);
        _actionsS = new int[States];
        for (int s = 0; s < States; s++) _actionsS[s] = random.Next(BenchmarkModels.Actions);
    }
}
