namespace TabularRL.Engine.Solvers;

/// <summary>Greedy actions with a documented tie rule, and the sets of optimal actions.</summary>
public static class Greedy
{
    /// <summary>Relative width of a tie: actions within 1e-10 * max(1, |max Q|) of the maximum count as tied.</summary>
    /// <remarks>
    /// Exact ties in exact arithmetic (symmetric gridworlds, unreachable states) come out of floating point as
    /// differences of a few ulps that depend on summation order; without a tie width, the reported action would
    /// depend on the backend and the method. 1e-10 relative is far above rounding and far below any gap that matters.
    /// </remarks>
    public static double TieTolerance(double maxQ) => 1e-10 * Math.Max(1, Math.Abs(maxQ));

    /// <summary>For each state, the lowest action whose Q is within the tie tolerance of the maximum.</summary>
    /// <param name="qSA">[S*A] Q values (or any per-action score).</param>
    /// <param name="actionCount">A.</param>
    /// <param name="actionsS">[S] output.</param>
    public static void Actions(ReadOnlySpan<double> qSA, int actionCount, Span<int> actionsS)
    {
        for (int s = 0; s < actionsS.Length; s++)
        {
            var q = qSA.Slice(s * actionCount, actionCount);
            double max = double.NegativeInfinity;
            foreach (double x in q) max = Math.Max(max, x);
            double threshold = max - TieTolerance(max);
            int a = 0;
            while (a < actionCount - 1 && !(q[a] >= threshold)) a++;
            actionsS[s] = a;
        }
    }

    /// <summary>The one-hot policy of <paramref name="actionsS"/>.</summary>
    /// <param name="actionsS">[n] actions.</param>
    /// <param name="actionCount">A.</param>
    public static double[] OneHot(ReadOnlySpan<int> actionsS, int actionCount)
    {
        var policy = new double[actionsS.Length * actionCount];
        for (int s = 0; s < actionsS.Length; s++)
            policy[s * actionCount + actionsS[s]] = 1;
        return policy;
    }

    /// <summary>The optimal-action sets: a is in the set of s iff Q(s,a) &gt;= max_a' Q(s,a') - tolerance.</summary>
    /// <param name="qSA">[S*A] Q values.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="tolerance">Absolute width &gt;= 0 (e.g. twice a certified bound on the Q error).</param>
    /// <returns>[S*A] membership flags.</returns>
    public static bool[] OptimalActionSets(ReadOnlySpan<double> qSA, int actionCount, double tolerance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        var sets = new bool[qSA.Length];
        for (int s = 0; s < qSA.Length / actionCount; s++)
        {
            var q = qSA.Slice(s * actionCount, actionCount);
            double max = double.NegativeInfinity;
            foreach (double x in q) max = Math.Max(max, x);
            for (int a = 0; a < actionCount; a++)
                sets[s * actionCount + a] = q[a] >= max - tolerance;
        }
        return sets;
    }
}
