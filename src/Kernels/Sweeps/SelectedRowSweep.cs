using System.Runtime.CompilerServices;
using TabularRL.Kernels.Parallelism;
using TabularRL.Kernels.Rows;

namespace TabularRL.Kernels.Sweeps;

/// <summary>One selected row per state: the deterministic-policy backup r(s,pi(s)) + gamma (P_pi V)(s), or the product P_pi x.</summary>
/// <remarks>
/// The product lets a Krylov solver apply I - gamma P_pi straight from the model's rows, without the copy of the
/// policy's rows that a separate matrix would need (a quarter of the model's bytes at A = 4).
/// </remarks>
internal sealed unsafe class SelectedRowSweep(WorkerTeam team) : PartitionedSweep(team)
{
    private BellmanProblem _problem;
    private ReadOnlyMemory<int> _actionsS;
    private ReadOnlyMemory<double> _vS;
    private Memory<double> _vOutS;
    private bool _productOnly;

    /// <summary>The backup; see <see cref="IBellmanBackend.DeterministicPolicyBackup"/>.</summary>
    public double Backup(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> vS, Memory<double> vOutS)
        => Run(problem, actionsS, vS, vOutS, productOnly: false);

    /// <summary>The product; see <see cref="IBellmanBackend.PolicyMultiply"/>.</summary>
    public void Multiply(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> xS, Memory<double> yS)
        => Run(problem, actionsS, xS, yS, productOnly: true);

    private double Run(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> vS, Memory<double> vOutS, bool productOnly)
    {
        lock (Gate)
        {
            (_problem, _actionsS, _vS, _vOutS, _productOnly) = (problem, actionsS, vS, vOutS, productOnly);
            try
            {
                return RunAll(problem.Transitions.RowPointers.Span, problem.StateCount, problem.ActionCount);
            }
            finally
            {
                (_problem, _actionsS, _vS, _vOutS) = (default, default, default, default);
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
        bool productOnly = _productOnly;
        using var pins = new RowPins(transitions);
        fixed (double* rewards = _problem.RewardsSA.Span)
        fixed (int* actions = _actionsS.Span)
        fixed (double* v = _vS.Span)
        fixed (double* vOut = _vOutS.Span)
        {
            var rows = pins.Rows;
            double change = 0;
            for (int s = start; s < end; s++)
            {
                long row = (long)s * actionCount + actions[s];
                double expectation = rows.Expectation(row, v);
                double value = productOnly ? expectation : rewards[row] + discount * expectation;
                vOut[s] = value;
                change = Combine(change, Change(value, v[s]));
            }
            return change;
        }
    }
}
