using System.Runtime.CompilerServices;
using TabularRL.Kernels.Parallelism;
using TabularRL.Kernels.Rows;

namespace TabularRL.Kernels.Sweeps;

/// <summary>Evaluation sweep of a stochastic policy: vOut(s) = sum_a pi(a|s) Q(s,a), skipping actions of probability 0.</summary>
internal sealed unsafe class PolicySweep(WorkerTeam team) : PartitionedSweep(team)
{
    private BellmanProblem _problem;
    private ReadOnlyMemory<double> _policySA, _vS;
    private Memory<double> _vOutS;

    /// <summary>Runs the sweep; see <see cref="IBellmanBackend.PolicyBackup"/>.</summary>
    public double Run(in BellmanProblem problem, ReadOnlyMemory<double> policySA, ReadOnlyMemory<double> vS, Memory<double> vOutS)
    {
        lock (Gate)
        {
            (_problem, _policySA, _vS, _vOutS) = (problem, policySA, vS, vOutS);
            try
            {
                return RunAll(problem.Transitions.RowPointers.Span, problem.StateCount, problem.ActionCount);
            }
            finally
            {
                (_problem, _policySA, _vS, _vOutS) = (default, default, default, default);
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
        fixed (double* pi = _policySA.Span)
        fixed (double* v = _vS.Span)
        fixed (double* vOut = _vOutS.Span)
        {
            var rows = pins.Rows;
            double change = 0;
            for (int s = start; s < end; s++)
            {
                double value = 0;
                long row = (long)s * actionCount;
                rows.Prefetch(row, row + actionCount);
                for (int a = 0; a < actionCount; a++, row++)
                {
                    if (pi[row] == 0) continue;
                    value += pi[row] * (rewards[row] + discount * rows.Expectation(row, v));
                }
                vOut[s] = value;
                change = Combine(change, Change(value, v[s]));
            }
            return change;
        }
    }
}
