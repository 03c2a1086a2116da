namespace TabularRL.Kernels.Backends;

/// <summary>The multithreaded CPU backend: blocks of states in parallel, per-state kernels in <see cref="StateKernels"/>.</summary>
public sealed class CpuBackend : IBellmanBackend
{
    private readonly int _maxThreads;

    /// <summary>Creates the backend.</summary>
    /// <param name="maxThreads">Threads to use; 0 means one per processor.</param>
    public CpuBackend(int maxThreads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxThreads);
        _maxThreads = maxThreads == 0 ? Environment.ProcessorCount : maxThreads;
    }

    /// <inheritdoc/>
    public string Name => "cpu";

    /// <inheritdoc/>
    public bool IsAvailable => true;

    /// <inheritdoc/>
    public double HardBackup(in BellmanProblem problem, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS, Memory<int> argmaxS)
    {
        var p = problem;
        int actionCount = p.ActionCount;
        return StateBlocks.MaxOver(p.StateCount, _maxThreads, (start, end) =>
        {
            Span<double> scratch = actionCount <= 64 ? stackalloc double[actionCount] : new double[actionCount];
            var v = vS.Span;
            var vOut = vOutS.Span;
            double change = 0;
            for (int s = start; s < end; s++)
            {
                var qA = qSA.IsEmpty ? scratch : qSA.Span.Slice(s * actionCount, actionCount);
                StateKernels.QRow(p, s, v, qA);
                vOut[s] = StateKernels.Max(qA, out int best);
                if (!argmaxS.IsEmpty) argmaxS.Span[s] = best;
                change = StateBlocks.Combine(change, Change(vOut[s], v[s]));
            }
            return change;
        });
    }

    /// <inheritdoc/>
    public double SoftBackup(in BellmanProblem problem, double temperature, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
        => Regularised(problem, temperature, ReadOnlyMemory<double>.Empty, vS, qSA, vOutS);

    /// <inheritdoc/>
    public double KlBackup(in BellmanProblem problem, double coefficient, ReadOnlyMemory<double> logReferenceSA, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
        => Regularised(problem, coefficient, logReferenceSA, vS, qSA, vOutS);

    private double Regularised(in BellmanProblem problem, double t, ReadOnlyMemory<double> logWeightsSA, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
    {
        var p = problem;
        int actionCount = p.ActionCount;
        return StateBlocks.MaxOver(p.StateCount, _maxThreads, (start, end) =>
        {
            Span<double> scratch = actionCount <= 64 ? stackalloc double[actionCount] : new double[actionCount];
            var v = vS.Span;
            var vOut = vOutS.Span;
            double change = 0;
            for (int s = start; s < end; s++)
            {
                var qA = qSA.IsEmpty ? scratch : qSA.Span.Slice(s * actionCount, actionCount);
                StateKernels.QRow(p, s, v, qA);
                var logWeights = logWeightsSA.IsEmpty ? ReadOnlySpan<double>.Empty : logWeightsSA.Span.Slice(s * actionCount, actionCount);
                vOut[s] = StateKernels.LogSumExp(qA, logWeights, t);
                change = StateBlocks.Combine(change, Change(vOut[s], v[s]));
            }
            return change;
        });
    }

    /// <inheritdoc/>
    public double PolicyBackup(in BellmanProblem problem, ReadOnlyMemory<double> policySA, ReadOnlyMemory<double> vS, Memory<double> vOutS)
    {
        var p = problem;
        int actionCount = p.ActionCount;
        return StateBlocks.MaxOver(p.StateCount, _maxThreads, (start, end) =>
        {
            var rowPointers = p.Transitions.RowPointers.Span;
            var columns = p.Transitions.Columns.Span;
            var probabilities = p.Transitions.Values.Span;
            var rewards = p.RewardsSA.Span;
            var pi = policySA.Span;
            var v = vS.Span;
            var vOut = vOutS.Span;
            double change = 0;
            for (int s = start; s < end; s++)
            {
                double value = 0;
                for (int a = 0, row = s * actionCount; a < actionCount; a++, row++)
                {
                    if (pi[row] == 0) continue;
                    int begin = (int)rowPointers[row];
                    int length = (int)(rowPointers[row + 1] - begin);
                    double q = rewards[row] + p.Discount * StateKernels.RowExpectation(columns.Slice(begin, length), probabilities.Slice(begin, length), v);
                    value += pi[row] * q;
                }
                vOut[s] = value;
                change = StateBlocks.Combine(change, Change(value, v[s]));
            }
            return change;
        });
    }

    /// <inheritdoc/>
    public double DeterministicPolicyBackup(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> vS, Memory<double> vOutS)
    {
        var p = problem;
        return StateBlocks.MaxOver(p.StateCount, _maxThreads, (start, end) =>
        {
            var rowPointers = p.Transitions.RowPointers.Span;
            var columns = p.Transitions.Columns.Span;
            var probabilities = p.Transitions.Values.Span;
            var rewards = p.RewardsSA.Span;
            var actions = actionsS.Span;
            var v = vS.Span;
            var vOut = vOutS.Span;
            double change = 0;
            for (int s = start; s < end; s++)
            {
                int row = s * p.ActionCount + actions[s];
                int begin = (int)rowPointers[row];
                int length = (int)(rowPointers[row + 1] - begin);
                vOut[s] = rewards[row] + p.Discount * StateKernels.RowExpectation(columns.Slice(begin, length), probabilities.Slice(begin, length), v);
                change = StateBlocks.Combine(change, Change(vOut[s], v[s]));
            }
            return change;
        });
    }

    /// <inheritdoc/>
    public double GaussSeidelSweep(in BellmanProblem problem, Memory<double> vS, Memory<int> argmaxS)
    {
        // Gauss-Seidel is sequential by definition: state s reads the values of states < s from this sweep.
        Span<double> qA = problem.ActionCount <= 64 ? stackalloc double[problem.ActionCount] : new double[problem.ActionCount];
        var v = vS.Span;
        double change = 0;
        for (int s = 0; s < problem.StateCount; s++)
        {
            StateKernels.QRow(problem, s, v, qA);
            double value = StateKernels.Max(qA, out int best);
            change = StateBlocks.Combine(change, Change(value, v[s]));
            v[s] = value;
            if (!argmaxS.IsEmpty) argmaxS.Span[s] = best;
        }
        return change;
    }

    /// <inheritdoc/>
    public void Multiply(SparseRows matrix, ReadOnlyMemory<double> x, Memory<double> y)
    {
        StateBlocks.MaxOver(matrix.RowCount, _maxThreads, (start, end) =>
        {
            var rowPointers = matrix.RowPointers.Span;
            var columns = matrix.Columns.Span;
            var values = matrix.Values.Span;
            var xs = x.Span;
            var ys = y.Span;
            for (int row = start; row < end; row++)
            {
                int begin = (int)rowPointers[row];
                int length = (int)(rowPointers[row + 1] - begin);
                ys[row] = StateKernels.RowExpectation(columns.Slice(begin, length), values.Slice(begin, length), xs);
            }
            return 0;
        });
    }

    // |new - old|, or NaN when the new value is not finite, so that overflow is reported rather than clipped.
    private static double Change(double updated, double previous)
        => double.IsFinite(updated) ? Math.Abs(updated - previous) : double.NaN;

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
