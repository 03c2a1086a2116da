using System.Runtime.CompilerServices;
using TabularRL.Kernels.Parallelism;
using TabularRL.Kernels.Rows;

namespace TabularRL.Kernels.Sweeps;

/// <summary>vOut(s) = max_a Q(s,a) with the first maximiser, Q(s,a) = r(s,a) + gamma sum_s' P(s'|s,a) V(s') (THEORY.md eq. 1).</summary>
/// <remarks>Q, max, argmax and the change are fused into one pass over each state's rows, so Q is never stored unless asked for.</remarks>
internal sealed unsafe class HardSweep(WorkerTeam team) : PartitionedSweep(team)
{
    private BellmanProblem _problem;
    private ReadOnlyMemory<double> _vS;
    private Memory<double> _qSA, _vOutS;
    private Memory<int> _argmaxS;

    /// <summary>Runs the backup; see <see cref="IBellmanBackend.HardBackup"/>.</summary>
    public double Run(in BellmanProblem problem, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS, Memory<int> argmaxS)
    {
        lock (Gate)
        {
            (_problem, _vS, _qSA, _vOutS, _argmaxS) = (problem, vS, qSA, vOutS, argmaxS);
            try
            {
                return RunAll(problem.Transitions.RowPointers.Span, problem.StateCount, problem.ActionCount);
            }
            finally
            {
                (_problem, _vS, _qSA, _vOutS, _argmaxS) = (default, default, default, default, default);
            }
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override double Sweep(int start, int end, int part)
    {
        var transitions = _problem.Transitions;
        if (transitions.UniformRowLength != 0 && !transitions.IsSingle && _qSA.IsEmpty)
            return SweepUniformRows(start, end);
        int actionCount = _problem.ActionCount;
        double discount = _problem.Discount;
        using var pins = new RowPins(transitions);
        fixed (double* rewards = _problem.RewardsSA.Span)
        fixed (double* v = _vS.Span)
        fixed (double* q = _qSA.Span)
        fixed (double* vOut = _vOutS.Span)
        fixed (int* argmax = _argmaxS.Span)
        {
            var rows = pins.Rows;
            double change = 0;
            for (int s = start; s < end; s++)
            {
                long row = (long)s * actionCount;
                rows.Prefetch(row, row + actionCount);
                double best = rewards[row] + discount * rows.Expectation(row, v);
                if (q != null) q[row] = best;
                int bestAction = 0;
                for (int a = 1; a < actionCount; a++)
                {
                    double value = rewards[++row] + discount * rows.Expectation(row, v);
                    if (q != null) q[row] = value;
                    // The first maximiser keeps ties; NaN at a = 0 stays.
                    GreedyChoice.Offer(value, a, ref best, ref bestAction);
                }
                vOut[s] = best;
                if (argmax != null) argmax[s] = bestAction;
                change = Combine(change, Change(best, v[s]));
            }
            return change;
        }
    }

    /// <summary>The common case alone: float64 entries, every row of the same length, no Q wanted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double SweepUniformRows(int start, int end)
    {
        var transitions = _problem.Transitions;
        int actionCount = _problem.ActionCount;
        long rowLength = transitions.UniformRowLength;
        long firstRow = (long)start * actionCount;
        long firstEntry = transitions.RowPointers.Span[0] + firstRow * rowLength;
        fixed (double* probabilities = transitions.DoubleValues.Span)
        fixed (int* columns = transitions.Columns.Span)
        fixed (double* rewards = _problem.RewardsSA.Span)
        fixed (double* v = _vS.Span)
        fixed (double* vOut = _vOutS.Span)
        fixed (int* argmax = _argmaxS.Span)
        {
            return SweepUniformRows(probabilities + firstEntry, columns + firstEntry, rewards + firstRow, v, vOut, argmax,
                rowLength, actionCount, _problem.Discount, start, end, PinnedRows.PrefetchPays(transitions));
        }
    }

    /// <summary>The loop of <see cref="SweepUniformRows(int, int)"/>, its every pointer an argument.</summary>
    /// <remarks>
    /// The general loop above keeps a dozen pointers and flags live, and the JIT spills some of them, V's pointer among
    /// them, and reloads them inside the row loop. Here the entries and rewards of states [start, end) are walked by
    /// pointers that start at state <paramref name="start"/>, and the JIT keeps V, the entries and the rewards in
    /// registers. Measured against the plain C loop of benchmarks/reference (<c>tabrl bench FILE --methods hard</c>
    /// against <c>csr_sweep</c>, paired runs, medians; benchmarks/README.md, "Fifth session"): on the random garnet
    /// S = 1e4 without prefetch (<see cref="PinnedRows.PrefetchPays"/>) one thread took 0.244 ms here against 0.268
    /// with the same loop as an instance method reading fields; at S = 1e5 and 1e6 the two are alike. Bit for bit the
    /// general loop's results: the same sums in the same order.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SweepUniformRows(double* probabilities, int* columns, double* rewards, double* v, double* vOut,
        int* argmax, long rowLength, int actionCount, double discount, int start, int end, bool prefetch)
    {
        long stateLength = actionCount * rowLength;
        double change = 0;
        for (int s = start; s < end; s++)
        {
            if (prefetch) PinnedRows.PrefetchEntries(probabilities, columns, 0, stateLength);
            double best = 0;
            int bestAction = 0;
            // One loop over the actions, the first taken as it is; a separate copy of the row loop for a = 0 made the
            // JIT reload V's pointer from the stack inside it.
            for (int a = 0; a < actionCount; a++, probabilities += rowLength, columns += rowLength)
            {
                double value = *rewards++ + discount * RowDot.Compute(probabilities, columns, rowLength, v);
                if (a == 0) best = value;
                else GreedyChoice.Offer(value, a, ref best, ref bestAction);
            }
            vOut[s] = best;
            if (argmax != null) argmax[s] = bestAction;
            change = Combine(change, Change(best, v[s]));
        }
        return change;
    }
}
