namespace TabularRL.Kernels;

/// <summary>The argument checks of <see cref="IBatchedBellmanBackend.ValueIteration"/>, shared by its implementations.</summary>
/// <remarks>An implementation calls <see cref="Check"/> once on entry; its kernels then assume valid input.</remarks>
public static class BatchedSolveArguments
{
    /// <summary>Throws unless the arguments of a batched solve fit <paramref name="batch"/>.</summary>
    /// <param name="batch">The MDPs.</param>
    /// <param name="tolerance">Must be finite and &gt; 0.</param>
    /// <param name="maxSweeps">Must be &gt;= 1.</param>
    /// <param name="valuesBS">Must hold B*S entries.</param>
    /// <param name="actionsBS">Must hold B*S entries.</param>
    /// <param name="errorBoundsB">Must hold B entries.</param>
    /// <param name="sweepsB">Must hold B entries.</param>
    /// <exception cref="ArgumentOutOfRangeException">The tolerance or the sweep limit, with its value.</exception>
    /// <exception cref="ArgumentException">A buffer of the wrong length, naming it and both lengths.</exception>
    public static void Check(in BatchedBellmanProblem batch, double tolerance, int maxSweeps,
        Memory<double> valuesBS, Memory<int> actionsBS, Memory<double> errorBoundsB, Memory<int> sweepsB)
    {
        if (!(tolerance > 0) || double.IsInfinity(tolerance))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "tolerance must be finite and > 0");
        if (maxSweeps < 1)
            throw new ArgumentOutOfRangeException(nameof(maxSweeps), maxSweeps, "max sweeps must be >= 1");
        long values = (long)batch.BatchCount * batch.StateCount;
        Length(valuesBS.Length, values, "B*S", nameof(valuesBS));
        Length(actionsBS.Length, values, "B*S", nameof(actionsBS));
        Length(errorBoundsB.Length, batch.BatchCount, "B", nameof(errorBoundsB));
        Length(sweepsB.Length, batch.BatchCount, "B", nameof(sweepsB));
    }

    private static void Length(int actual, long expected, string what, string name)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has {actual} entries, expected {what} = {expected}", name);
    }
}
