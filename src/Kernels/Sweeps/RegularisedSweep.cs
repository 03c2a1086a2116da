using System.Runtime.CompilerServices;
using TabularRL.Kernels.Parallelism;
using TabularRL.Kernels.Rows;

namespace TabularRL.Kernels.Sweeps;

/// <summary>Soft and KL-regularised backups: vOut(s) = t log sum_a w(s,a) exp(Q(s,a)/t) (THEORY.md section 2).</summary>
/// <remarks>
/// States go in aligned groups of <see cref="GroupLogSumExp.GroupSize"/>: the group's Q rows are computed into
/// per-part scratch, then reduced by the vectorised log-sum-exp. Soft uses w = 1; KL uses w = piRef.
/// </remarks>
internal sealed unsafe class RegularisedSweep(WorkerTeam team) : PartitionedSweep(team)
{
    private readonly GroupLogSumExp?[] _scratch = new GroupLogSumExp?[team.Size];
    private readonly double[]?[] _qScratch = new double[]?[team.Size];
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
        const int G = GroupLogSumExp.GroupSize;
        int actionCount = _problem.ActionCount;
        var logSumExp = _scratch[part];
        if (logSumExp is null || logSumExp.ActionCount != actionCount)
        {
            _scratch[part] = logSumExp = new GroupLogSumExp(actionCount);
            _qScratch[part] = new double[G * actionCount];
        }
        var qScratch = _qScratch[part]!;
        Span<double> valuesG = stackalloc double[G];
        var transitions = _problem.Transitions;
        double discount = _problem.Discount;
        var logWeights = _logWeightsSA.Span;
        var qOut = _qSA.Span;
        var vOut = _vOutS.Span;
        fixed (long* rowPointers = transitions.RowPointers.Span)
        fixed (int* columns = transitions.Columns.Span)
        fixed (double* probabilities = transitions.Values.Span)
        fixed (double* rewards = _problem.RewardsSA.Span)
        fixed (double* v = _vS.Span)
        {
            var pinned = new PinnedRows(rowPointers, columns, probabilities);
            double change = 0;
            for (int first = start; first < end; first += G)
            {
                int count = Math.Min(G, end - first);
                long firstRow = (long)first * actionCount;
                int rows = count * actionCount;
                for (int i = 0; i < rows; i++)
                    qScratch[i] = rewards[firstRow + i] + discount * pinned.Expectation(firstRow + i, v);
                var qGA = qScratch.AsSpan(0, rows);
                if (!qOut.IsEmpty) qGA.CopyTo(qOut.Slice((int)firstRow, rows));
                var logWeightsGA = logWeights.IsEmpty ? default : logWeights.Slice((int)firstRow, rows);
                logSumExp.Compute(qGA, logWeightsGA, count, _temperature, valuesG);
                for (int g = 0; g < count; g++)
                {
                    vOut[first + g] = valuesG[g];
                    change = Combine(change, Change(valuesG[g], v[first + g]));
                }
            }
            return change;
        }
    }
}
