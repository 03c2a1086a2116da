using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TabularRL.Kernels.Parallelism;
using TabularRL.Kernels.Rows;

namespace TabularRL.Kernels.Sweeps;

/// <summary>Soft and KL-regularised backups: vOut(s) = t log sum_a w(s,a) exp(Q(s,a)/t) (THEORY.md section 2).</summary>
/// <remarks>
/// States go in aligned groups of <see cref="GroupLogSumExp.GroupSize"/>: the group's Q (and log-weights) are
/// written transposed into per-part scratch, then reduced by the vectorised log-sum-exp. Soft uses w = 1; KL uses
/// w = piRef.
/// </remarks>
internal sealed unsafe class RegularisedSweep(WorkerTeam team) : PartitionedSweep(team)
{
    private const int G = GroupLogSumExp.GroupSize;

    private readonly double[]?[] _scratch = new double[]?[team.Size];
    private BellmanProblem _problem;
    private double _temperature;
    private ReadOnlyMemory<double> _logWeightsSA, _vS;
    private Memory<double> _qSA, _vOutS;

    /// <summary>Runs the backup; an empty <paramref name="logWeightsSA"/> means the soft backup.</summary>
    public double Run(in BellmanProblem problem, double temperature, ReadOnlyMemory<double> logWeightsSA, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
    {
        lock (Gate)
        {
            (_problem, _temperature, _logWeightsSA, _vS, _qSA, _vOutS) = (problem, temperature, logWeightsSA, vS, qSA, vOutS);
            try
            {
                return RunAll(problem.Transitions.RowPointers.Span, problem.StateCount, problem.ActionCount);
            }
            finally
            {
                (_problem, _logWeightsSA, _vS, _qSA, _vOutS) = (default, default, default, default, default);
            }
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override double Sweep(int start, int end, int part)
    {
        int actionCount = _problem.ActionCount;
        bool weighted = !_logWeightsSA.IsEmpty;
        // [A*G] Q, then [A*G] log-weights, both action-major. The lanes past a partial group keep the previous
        // group's (finite) entries or zeros; lanes never mix, and their results are not stored.
        int block = actionCount * G;
        var scratch = _scratch[part];
        if (scratch is null || scratch.Length != 2 * block)
            _scratch[part] = scratch = new double[2 * block];
        var transitions = _problem.Transitions;
        double discount = _problem.Discount;
        using var pins = new RowPins(transitions);
        fixed (double* rewards = _problem.RewardsSA.Span)
        fixed (double* logWeights = _logWeightsSA.Span)
        fixed (double* v = _vS.Span)
        fixed (double* qOut = _qSA.Span)
        fixed (double* vOut = _vOutS.Span)
        fixed (double* qAG = scratch)
        {
            double* logWeightsAG = weighted ? qAG + block : null;
            var rows = pins.Rows;
            double* values = stackalloc double[G];
            double change = 0;
            var groupChange = new GroupChange();
            for (int first = start; first < end; first += G)
            {
                int count = Math.Min(G, end - first);
                long firstRow = (long)first * actionCount;
                for (int g = 0; g < count; g++)
                {
                    long row = firstRow + (long)g * actionCount;
                    rows.Prefetch(row, row + actionCount);
                    for (int a = 0; a < actionCount; a++, row++)
                    {
                        double q = rewards[row] + discount * rows.Expectation(row, v);
                        qAG[a * G + g] = q;
                        if (qOut != null) qOut[row] = q;
                        if (weighted) logWeightsAG[a * G + g] = logWeights[row];
                    }
                }
                var groupValues = GroupLogSumExp.Compute(qAG, logWeightsAG, actionCount, _temperature);
                if (count == G)
                {
                    groupValues.Store(vOut + first);
                    groupChange.Add(groupValues, Vector512.Load(v + first));
                }
                else
                {
                    // The last, partial group of the part.
                    groupValues.Store(values);
                    for (int g = 0; g < count; g++)
                    {
                        vOut[first + g] = values[g];
                        change = Combine(change, Change(values[g], v[first + g]));
                    }
                }
            }
            return Combine(change, groupChange.Total);
        }
    }
}
