namespace TabularRL.Kernels.Backends;

/// <summary>The scalar, single-threaded oracle: the plainest possible loops, written for obviousness, not speed.</summary>
/// <remarks>Every other backend is tested against this one; keep it independent of their row kernels.</remarks>
public sealed class ReferenceBackend : IBellmanBackend, IBatchedBellmanBackend
{
    /// <inheritdoc/>
    public string Name => "reference";

    /// <inheritdoc/>
    public bool IsAvailable => true;

    /// <inheritdoc/>
    public double HardBackup(in BellmanProblem problem, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS, Memory<int> argmaxS)
    {
        int stateCount = problem.StateCount, actionCount = problem.ActionCount;
        var q = new double[actionCount];
        var v = vS.Span;
        var vOut = vOutS.Span;
        double change = 0;
        bool finite = true;
        for (int s = 0; s < stateCount; s++)
        {
            ComputeQ(problem, s, v, q);
            int best = 0;
            for (int a = 1; a < actionCount; a++)
                if (q[a] > q[best]) best = a;
            vOut[s] = q[best];
            if (!qSA.IsEmpty) q.CopyTo(qSA.Span.Slice(s * actionCount, actionCount));
            if (!argmaxS.IsEmpty) argmaxS.Span[s] = best;
            finite &= double.IsFinite(vOut[s]);
            change = Math.Max(change, Math.Abs(vOut[s] - v[s]));
        }
        return finite ? change : double.NaN;
    }

    /// <inheritdoc/>
    public double SoftBackup(in BellmanProblem problem, double temperature, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
    {
        var logUniform = new double[problem.ActionCount];
        return Regularised(problem, temperature, logUniform, perState: false, vS, qSA, vOutS);
    }

    /// <inheritdoc/>
    public double KlBackup(in BellmanProblem problem, double coefficient, ReadOnlyMemory<double> logReferenceSA, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
        => Regularised(problem, coefficient, logReferenceSA.ToArray(), perState: true, vS, qSA, vOutS);

    // V(s) = t log sum_a exp(logW(s,a) + Q(s,a)/t) = m + t log sum_a exp(logW(s,a) + (Q(s,a) - m)/t), with m the largest
    // Q over the actions of positive weight, so that no exponent is positive enough to overflow (THEORY.md section 2).
    private static double Regularised(in BellmanProblem problem, double t, double[] logWeights, bool perState, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
    {
        int stateCount = problem.StateCount, actionCount = problem.ActionCount;
        var q = new double[actionCount];
        var v = vS.Span;
        var vOut = vOutS.Span;
        double change = 0;
        bool finite = true;
        for (int s = 0; s < stateCount; s++)
        {
            ComputeQ(problem, s, v, q);
            int offset = perState ? s * actionCount : 0;
            double m = double.NegativeInfinity;
            for (int a = 0; a < actionCount; a++)
                if (logWeights[offset + a] > double.NegativeInfinity) m = Math.Max(m, q[a]);
            double sum = 0;
            for (int a = 0; a < actionCount; a++)
                if (logWeights[offset + a] > double.NegativeInfinity) sum += Math.Exp(logWeights[offset + a] + (q[a] - m) / t);
            vOut[s] = m + t * Math.Log(sum);
            if (!qSA.IsEmpty) q.CopyTo(qSA.Span.Slice(s * actionCount, actionCount));
            finite &= double.IsFinite(vOut[s]);
            change = Math.Max(change, Math.Abs(vOut[s] - v[s]));
        }
        return finite ? change : double.NaN;
    }

    /// <inheritdoc/>
    public double PolicyBackup(in BellmanProblem problem, ReadOnlyMemory<double> policySA, ReadOnlyMemory<double> vS, Memory<double> vOutS)
    {
        int stateCount = problem.StateCount, actionCount = problem.ActionCount;
        var q = new double[actionCount];
        var pi = policySA.Span;
        var v = vS.Span;
        var vOut = vOutS.Span;
        double change = 0;
        bool finite = true;
        for (int s = 0; s < stateCount; s++)
        {
            ComputeQ(problem, s, v, q);
            double value = 0;
            for (int a = 0; a < actionCount; a++)
                if (pi[s * actionCount + a] != 0) value += pi[s * actionCount + a] * q[a];
            vOut[s] = value;
            finite &= double.IsFinite(value);
            change = Math.Max(change, Math.Abs(value - v[s]));
        }
        return finite ? change : double.NaN;
    }

    /// <inheritdoc/>
    public double DeterministicPolicyBackup(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> vS, Memory<double> vOutS)
    {
        var actions = actionsS.Span;
        var v = vS.Span;
        var vOut = vOutS.Span;
        double change = 0;
        bool finite = true;
        for (int s = 0; s < problem.StateCount; s++)
        {
            vOut[s] = ComputeQ(problem, s, actions[s], v);
            finite &= double.IsFinite(vOut[s]);
            change = Math.Max(change, Math.Abs(vOut[s] - v[s]));
        }
        return finite ? change : double.NaN;
    }

    /// <inheritdoc/>
    public void PolicyMultiply(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> xS, Memory<double> yS)
    {
        var actions = actionsS.Span;
        var x = xS.Span;
        var y = yS.Span;
        for (int s = 0; s < problem.StateCount; s++)
            y[s] = Expectation(problem, s * problem.ActionCount + actions[s], x);
    }

    /// <inheritdoc/>
    public double GaussSeidelSweep(in BellmanProblem problem, Memory<double> vS, Memory<int> argmaxS)
    {
        var q = new double[problem.ActionCount];
        var v = vS.Span;
        double change = 0;
        bool finite = true;
        for (int s = 0; s < problem.StateCount; s++)
        {
            ComputeQ(problem, s, v, q);
            int best = 0;
            for (int a = 1; a < q.Length; a++)
                if (q[a] > q[best]) best = a;
            change = Math.Max(change, Math.Abs(q[best] - v[s]));
            v[s] = q[best];
            finite &= double.IsFinite(v[s]);
            if (!argmaxS.IsEmpty) argmaxS.Span[s] = best;
        }
        return finite ? change : double.NaN;
    }

    /// <inheritdoc/>
    public void Multiply(SparseRows matrix, ReadOnlyMemory<double> x, Memory<double> y)
    {
        var xs = x.Span;
        var ys = y.Span;
        for (int row = 0; row < matrix.RowCount; row++)
            ys[row] = RowExpectation(matrix, row, xs);
    }

    private static void ComputeQ(in BellmanProblem problem, int s, ReadOnlySpan<double> v, double[] q)
    {
        for (int a = 0; a < q.Length; a++)
            q[a] = ComputeQ(problem, s, a, v);
    }

    private static double ComputeQ(in BellmanProblem problem, int s, int a, ReadOnlySpan<double> v)
    {
        int row = s * problem.ActionCount + a;
        return problem.RewardsSA.Span[row] + problem.Discount * Expectation(problem, row, v);
    }

    private static double Expectation(in BellmanProblem problem, int row, ReadOnlySpan<double> v)
        => RowExpectation(problem.Transitions, row, v);

    // sum_k P[k] x[column k] over one row, in entry order, with float32 entries widened to double.
    private static double RowExpectation(in SparseRows rows, int row, ReadOnlySpan<double> x)
    {
        var rowPointers = rows.RowPointers.Span;
        var columns = rows.Columns.Span;
        var doubles = rows.DoubleValues.Span;
        var singles = rows.SingleValues.Span;
        bool single = rows.IsSingle;
        double expected = 0;
        for (long k = rowPointers[row]; k < rowPointers[row + 1]; k++)
            expected += (single ? singles[(int)k] : doubles[(int)k]) * x[columns[(int)k]];
        return expected;
    }

    /// <inheritdoc/>
    /// <remarks>One MDP after the other, each to its own stopping sweep, with fresh arrays: nothing is shared between MDPs.</remarks>
    public bool ValueIteration(in BatchedBellmanProblem batch, double tolerance, int maxSweeps,
        Memory<double> valuesBS, Memory<int> actionsBS, Memory<double> errorBoundsB, Memory<int> sweepsB)
    {
        BatchedSolveArguments.Check(batch, tolerance, maxSweeps, valuesBS, actionsBS, errorBoundsB, sweepsB);
        int stateCount = batch.StateCount, actionCount = batch.ActionCount;
        var rewards = batch.RewardsBSA.Span;
        var discounts = batch.DiscountsB.Span;
        bool all = true;
        for (int b = 0; b < batch.BatchCount; b++)
        {
            var values = valuesBS.Span.Slice(b * stateCount, stateCount);
            var actions = actionsBS.Span.Slice(b * stateCount, stateCount);
            double discount = discounts[b];
            double factor = discount / (1 - discount);
            var v = values.ToArray();
            var next = new double[stateCount];
            double bound = double.PositiveInfinity;
            int k = 0;
            while (k < maxSweeps && !(bound <= tolerance))
            {
                double change = 0;
                bool finite = true;
                for (int s = 0; s < stateCount; s++)
                {
                    int best = 0;
                    double bestValue = 0;
                    for (int a = 0; a < actionCount; a++)
                    {
                        int row = (b * stateCount + s) * actionCount + a;
                        double q = rewards[row] + discount * RowExpectation(batch.Transitions, row, v);
                        if (a == 0 || q > bestValue) (best, bestValue) = (a, q);
                    }
                    next[s] = bestValue;
                    actions[s] = best;
                    finite &= double.IsFinite(bestValue);
                    change = Math.Max(change, Math.Abs(bestValue - v[s]));
                }
                k++;
                (v, next) = (next, v);
                bound = finite ? factor * change : double.NaN;
                if (!finite) break;
            }
            v.CopyTo(values);
            errorBoundsB.Span[b] = bound;
            sweepsB.Span[b] = k;
            all &= bound <= tolerance;
        }
        return all;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
