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
}
