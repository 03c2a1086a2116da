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
    /// <remarks>
    /// On the random garnet S = 1e6 with one thread (V in L3, not L2) the general loop above took 12-25% longer than
    /// the plain C loop of benchmarks/reference (C / tabrl 0.80-0.88 in four paired runs). It keeps a dozen pointers
    /// and flags live, and the JIT spilled V's pointer and reloaded it in the inner loop. This loop, with
    /// <see cref="RowDot"/> walking pointers instead of an index, brought it to 0.91-0.98 in the same kind of runs
    /// (<c>tabrl bench FILE --methods hard --threads 1</c> against <c>csr_sweep</c>, benchmarks/README.md). The
    /// JIT still reloads V's pointer once per pair of entries here; a static copy with every pointer an argument
    /// kept it in a register but was no faster (0.89-0.95). Bit for bit the general loop's results: the same sums
    /// in the same order.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double SweepUniformRows(int start, int end)
    {
        var transitions = _problem.Transitions;
        int actionCount = _problem.ActionCount;
        double discount = _problem.Discount;
        long rowLength = transitions.UniformRowLength;
        long firstEntry = transitions.RowPointers.Span[0];
        fixed (double* probabilities = transitions.DoubleValues.Span)
        fixed (int* columns = transitions.Columns.Span)
        fixed (double* rewards = _problem.RewardsSA.Span)
        fixed (double* v = _vS.Span)
        fixed (double* vOut = _vOutS.Span)
        fixed (int* argmax = _argmaxS.Span)
        {
            double change = 0;
            for (int s = start; s < end; s++)
            {
                long row = (long)s * actionCount;
                long entry = firstEntry + row * rowLength;
                PinnedRows.PrefetchEntries(probabilities, columns, entry, entry + actionCount * rowLength);
                double best = 0;
                int bestAction = 0;
                // One loop over the actions, the first taken as it is; a separate copy of the row loop for a = 0, as
                // above, made the JIT reload V's pointer from the stack inside it.
                for (int a = 0; a < actionCount; a++, entry += rowLength)
                {
                    double value = rewards[row + a] + discount * RowDot.Compute(probabilities + entry, columns + entry, rowLength, v);
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
}
