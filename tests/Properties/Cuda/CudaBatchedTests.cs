using TabularRL.Cuda;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Backends;

namespace TabularRL.Tests.Cuda;

/// <summary>
/// The CUDA backend's batched value iteration against solo solves on the reference backend: each MDP's sweeps, bound,
/// values and greedy actions are those of Jacobi value iteration from the same start, stopped on the certified bound
/// gamma/(1 - gamma) ||V_k - V_{k-1}|| (IBatchedBellmanBackend). Runs only where a CUDA device is present.
/// </summary>
public sealed class CudaBatchedTests
{
    [CudaTheory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(37, 5, 3, 2)]
    [InlineData(300, 20, 4, 1)]
    [InlineData(7, 200, 2, 8)]
    public void ValueIteration_RandomBatch_EachMdpEqualsItsSoloSolve(int B, int S, int A, int checkInterval)
    {
        var random = new Random(B * 1000 + S);
        var rowPointers = new List<long> { 0 };
        var columns = new List<int>();
        var values = new List<double>();
        var rewards = new double[B * S * A];
        var discounts = new double[B];
        for (int b = 0; b < B; b++)
        {
            discounts[b] = b % 5 == 0 ? 0.0 : 0.5 + 0.49 * random.NextDouble();
            for (int row = 0; row < S * A; row++)
            {
                int length = 1 + random.Next(Math.Min(S, 4));
                var next = Enumerable.Range(0, S).OrderBy(_ => random.Next()).Take(length).Order().ToArray();
                var weights = next.Select(_ => random.NextDouble() + 0.01).ToArray();
                double total = weights.Sum();
                columns.AddRange(next);
                values.AddRange(weights.Select(w => w / total));
                rowPointers.Add(columns.Count);
                rewards[b * S * A + row] = random.NextDouble() * 2 - 1;
            }
        }
        var transitions = new SparseRows(rowPointers.ToArray(), columns.ToArray(), values.ToArray());
        var batch = new BatchedBellmanProblem(transitions, rewards, discounts, B, S, A);
        const double tolerance = 1e-9;
        const int maxSweeps = 500;
        var start = Enumerable.Range(0, B * S).Select(i => (double)(i % 3)).ToArray();
        var valuesBS = (double[])start.Clone();
        var actionsBS = new int[B * S];
        var bounds = new double[B];
        var sweeps = new int[B];
        using var cuda = new CudaBackend { BatchedCheckInterval = checkInterval };
        bool converged = cuda.ValueIteration(batch, tolerance, maxSweeps, valuesBS, actionsBS, bounds, sweeps);

        using var reference = new ReferenceBackend();
        bool allConverged = true;
        for (int b = 0; b < B; b++)
        {
            // The solo problem: MDP b's rows (absolute offsets into the shared arrays, columns already local).
            var soloRows = new SparseRows(transitions.RowPointers.Slice(b * S * A, S * A + 1), transitions.Columns, transitions.Values);
            var problem = new BellmanProblem(soloRows, rewards.AsMemory(b * S * A, S * A), S, A, discounts[b]);
            var v = start.AsSpan(b * S, S).ToArray();
            var next = new double[S];
            var argmax = new int[S];
            double factor = discounts[b] / (1 - discounts[b]), bound = double.PositiveInfinity;
            int k = 0;
            while (k < maxSweeps && !(bound <= tolerance))
            {
                bound = factor * reference.HardBackup(problem, v, Memory<double>.Empty, next, argmax);
                k++;
                (v, next) = (next, v);
            }
            allConverged &= bound <= tolerance;
            // Rounding (fused multiply-adds on the device) may move the stopping sweep by one when a bound lands
            // within rounding of the tolerance; anything more is a defect.
            Assert.True(Math.Abs(sweeps[b] - k) <= 1, $"MDP {b}: {sweeps[b]} sweeps on CUDA, {k} solo");
            double scale = v.Max(Math.Abs) + 1;
            for (int s = 0; s < S; s++)
            {
                Assert.True(Math.Abs(valuesBS[b * S + s] - v[s]) <= 1e-9 * scale, $"MDP {b}, state {s}: {valuesBS[b * S + s]:R} on CUDA, {v[s]:R} solo");
                Assert.True(actionsBS[b * S + s] == argmax[s] || sweeps[b] != k, $"MDP {b}, state {s}: action {actionsBS[b * S + s]} on CUDA, {argmax[s]} solo");
            }
            Assert.True(bounds[b] <= tolerance || sweeps[b] == maxSweeps, $"MDP {b}: stopped at bound {bounds[b]:R} after {sweeps[b]} sweeps");
        }
        Assert.Equal(allConverged, converged);
    }

    [CudaFact]
    public void ValueIteration_NoSweepsAllowed_IsRejectedAsOnTheCpu()
    {
        // IBatchedBellmanBackend: maxSweeps >= 1, checked by BatchedSolveArguments on every backend.
        var transitions = new SparseRows(new long[] { 0, 1, 2 }, new[] { 0, 0 }, new[] { 1.0, 1.0 });
        var batch = new BatchedBellmanProblem(transitions, new[] { 1.0, 2.0 }, new[] { 0.5, 0.5 }, 2, 1, 1);
        using var cuda = new CudaBackend();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => cuda.ValueIteration(batch, 1e-9, 0, new[] { 3.0, 4.0 }, new int[2], new double[2], new int[2]));
        Assert.Equal("maxSweeps", error.ParamName);
    }
}
