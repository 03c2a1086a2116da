using FsCheck;
using FsCheck.Fluent;
using TabularRL.Engine.Generators;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Backends;

/// <summary>How a batch case is handed to <see cref="BatchedMdp"/>: each path must give the same batch.</summary>
internal enum BatchSource
{
    Models,
    Dense,
    Csr,
}

/// <summary>B random discounted MDPs of one shape (dense [S*A*S] rows each, rewards [S*A], own discounts) and how they are batched.</summary>
internal sealed record BatchCase(int S, int A, double[] Discounts, double[][] TransitionsSAS, double[][] RewardsSA, BatchSource Source)
{
    public int B => Discounts.Length;

    /// <summary>MDP b built alone, through <see cref="MdpBuilder"/>: the solo solves run on these.</summary>
    public Mdp Solo(int b) => new MdpBuilder
    {
        StateCount = S,
        ActionCount = A,
        Discount = Discounts[b],
        DenseTransitions = TransitionsSAS[b],
        DenseTransitionsShape = [S, A, S],
        Rewards = RewardsSA[b],
        RewardsShape = [S, A],
    }.Build();

    /// <summary>The batch, built through <see cref="Source"/>.</summary>
    public BatchedMdp Batch()
    {
        switch (Source)
        {
            case BatchSource.Models:
                return BatchedMdp.FromModels(Enumerable.Range(0, B).Select(Solo).ToArray());
            case BatchSource.Dense:
                return BatchedMdp.FromDense(S, A, TransitionsSAS.SelectMany(t => t).ToArray(), RewardsSA.SelectMany(r => r).ToArray(), Discounts);
            default:
                var rowPointers = new List<long> { 0 };
                var columns = new List<int>();
                var probabilities = new List<double>();
                foreach (var dense in TransitionsSAS)
                {
                    var (indptr, indices, data) = ModelCase.ToCsr(dense, S);
                    rowPointers.AddRange(indptr.Skip(1).Select(p => p + columns.Count));
                    columns.AddRange(indices);
                    probabilities.AddRange(data);
                }
                return BatchedMdp.FromCsr(S, A, rowPointers.ToArray(), columns.ToArray(), probabilities.ToArray(), RewardsSA.SelectMany(r => r).ToArray(), Discounts);
        }
    }

    public override string ToString()
        => $"BatchCase B={B} S={S} A={A} source={Source} discounts=[{string.Join(", ", Discounts.Select(Mismatches.R))}]";

    /// <summary>B in 1..6, S in 1..12, A in 1..4, discounts and rows as <see cref="ModelGenerators"/> draws them (sparse and dense rows, 0 to 0.999).</summary>
    public static Arbitrary<BatchCase> Arbitrary()
        => (from S in Gen.Choose(1, ModelGenerators.MaxStates)
            from A in Gen.Choose(1, ModelGenerators.MaxActions)
            from B in Gen.Choose(1, 6)
            from discounts in Gen.ArrayOf(ModelGenerators.Discount, B)
            from transitions in Gen.ArrayOf(ModelGenerators.TransitionRows(S * A, S), B)
            from rewards in Gen.ArrayOf(ModelGenerators.RewardValues(S * A), B)
            from source in Gen.Elements(BatchSource.Models, BatchSource.Dense, BatchSource.Csr)
            select new BatchCase(S, A, discounts, transitions, rewards, source)).ToArbitrary();

    /// <summary><paramref name="count"/> garnets S = 50, A = 4, K = 5 with seeds 0.., discounts cycling through <paramref name="discounts"/>.</summary>
    public static Mdp[] Garnets(int count, params double[] discounts)
        => Enumerable.Range(0, count)
            .Select(b => Garnet.Create(new GarnetOptions { States = 50, Actions = 4, Branching = 5, Discount = discounts[b % discounts.Length], Seed = b }))
            .ToArray();
}

/// <summary>The raw outputs of one <see cref="IBatchedBellmanBackend.ValueIteration"/> call.</summary>
internal sealed record BatchedOutputs(bool AllConverged, double[] ValuesBS, int[] ActionsBS, double[] ErrorBoundsB, int[] SweepsB)
{
    /// <summary>Runs <paramref name="backend"/> on <paramref name="batch"/> from V = 0 (or <paramref name="start"/>).</summary>
    public static BatchedOutputs Run(IBatchedBellmanBackend backend, BatchedMdp batch, double tolerance, int maxSweeps = 1_000_000, double[]? start = null)
    {
        int n = batch.BatchCount * batch.StateCount;
        var values = start is null ? new double[n] : (double[])start.Clone();
        var actions = new int[n];
        var bounds = new double[batch.BatchCount];
        var sweeps = new int[batch.BatchCount];
        bool all = backend.ValueIteration(batch.Problem, tolerance, maxSweeps, values, actions, bounds, sweeps);
        return new BatchedOutputs(all, values, actions, bounds, sweeps);
    }
}

/// <summary>Comparisons of batched results with solo <see cref="ValueIteration"/> solves, collecting every failure.</summary>
internal static class BatchedCheck
{
    public static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);

    /// <summary>
    /// MDP b of <paramref name="outputs"/> equals the solo solve <paramref name="solo"/> on the same kind of backend bit
    /// for bit: values, bound and sweeps. Both run the same sweeps in the same order from V = 0 and stop on the same rule.
    /// </summary>
    public static void Bitwise(List<string> failures, string name, int b, int S, BatchedOutputs outputs, SolveResult solo)
    {
        if (outputs.SweepsB[b] != solo.Iterations)
            failures.Add($"{name}: MDP {b} took {outputs.SweepsB[b]} sweeps, the solo solve {solo.Iterations}");
        if (Bits(outputs.ErrorBoundsB[b]) != Bits(solo.ErrorBound))
            failures.Add($"{name}: MDP {b} bound {Mismatches.R(outputs.ErrorBoundsB[b])}, the solo solve's {Mismatches.R(solo.ErrorBound)}");
        for (int s = 0; s < S; s++)
            if (Bits(outputs.ValuesBS[b * S + s]) != Bits(solo.Values[s]))
                failures.Add($"{name}: MDP {b} V[{s}] = {Mismatches.R(outputs.ValuesBS[b * S + s])}, the solo solve's {Mismatches.R(solo.Values[s])}");
    }

    /// <summary>
    /// Values within both certified bounds of each other, and the same greedy action wherever the solo solve's gap
    /// between its best and second-best Q exceeds what the bounds allow.
    /// </summary>
    /// <remarks>
    /// Values: both are within their bound of V*, so |V_batch - V_solo| &lt;= bound_batch + bound_solo, plus rounding:
    /// the two backends' row sums differ in the last bits (one chain against two), and a gamma-contraction carries such
    /// errors up to about K eps ||V|| / (1 - gamma); <see cref="Rounding"/> allows 1e-12 relative, far above that for the
    /// drawn models and far below any bound that would hide a wrong sweep. Actions: the batched ones are greedy on
    /// V_{k-1} (the last sweep's input), whose Q differs from Q of the solo V by at most
    /// gamma (||V_{k-1} - V_k|| + ||V_k - V_solo||) &lt;= (1-gamma) bound_batch + gamma (bound_batch + bound_solo + rounding),
    /// so a gap above twice that cannot be overturned.
    /// </remarks>
    public static void WithinBounds(List<string> failures, string name, int b, int S, int A, double gamma, BatchedOutputs outputs, SolveResult solo)
    {
        double boundBatch = outputs.ErrorBoundsB[b], boundSolo = solo.ErrorBound;
        double rounding = Rounding(solo.Values);
        for (int s = 0; s < S; s++)
        {
            double gap = Math.Abs(outputs.ValuesBS[b * S + s] - solo.Values[s]);
            if (!(gap <= boundBatch + boundSolo + rounding))
                failures.Add($"{name}: MDP {b} V[{s}] = {Mismatches.R(outputs.ValuesBS[b * S + s])}, solo {Mismatches.R(solo.Values[s])}: " +
                    $"apart by {Mismatches.R(gap)} > bounds {Mismatches.R(boundBatch)} + {Mismatches.R(boundSolo)} + rounding {Mismatches.R(rounding)}");
        }
        double qSlack = (1 - gamma) * boundBatch + gamma * (boundBatch + boundSolo + rounding);
        for (int s = 0; s < S; s++)
        {
            var q = solo.QValues.Slice(s * A, A).ToArray();
            int best = 0;
            for (int a = 1; a < A; a++)
                if (q[a] > q[best]) best = a;
            double second = double.NegativeInfinity;
            for (int a = 0; a < A; a++)
                if (a != best) second = Math.Max(second, q[a]);
            if (q[best] - second > 2 * qSlack && outputs.ActionsBS[b * S + s] != best)
                failures.Add($"{name}: MDP {b} state {s} action {outputs.ActionsBS[b * S + s]}, solo {best} with a Q gap of {Mismatches.R(q[best] - second)} > 2 x {Mismatches.R(qSlack)}");
        }
    }

    /// <summary>1e-12 of the values' scale: rounding room between two backends whose row sums differ in order.</summary>
    public static double Rounding(ReadOnlySpan<double> values)
    {
        double largest = 1;
        foreach (double v in values) largest = Math.Max(largest, Math.Abs(v));
        return 1e-12 * largest;
    }

    public static void AssertNone(List<string> failures, object context)
        => Assert.True(failures.Count == 0, $"{context}\n" + string.Join("\n", failures.Take(20)) + $"\n({failures.Count} in all)");

    /// <summary>The batched backends under test with the solo backend of the same kind each is compared with bit for bit.</summary>
    public static IEnumerable<(string Name, IBatchedBellmanBackend Batched, IBellmanBackend Solo)> Backends()
    {
        yield return ("reference", new ReferenceBackend(), new ReferenceBackend());
        yield return ("cpu(1 thread)", new CpuBackend(1), new CpuBackend(1));
        yield return ("cpu(2 threads)", new CpuBackend(2), new CpuBackend(1));
        yield return ("cpu(3 threads)", new CpuBackend(3), new CpuBackend(1));
    }
}
