namespace TabularRL.Engine.Solvers;

/// <summary>Options of <see cref="BatchedValueIteration"/>.</summary>
public sealed record BatchedSolverOptions
{
    /// <summary>Stop each MDP once its certified error bound is at most this (finite, &gt; 0).</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>Sweeps allowed per MDP (&gt;= 1); an MDP that runs out is reported with <c>Converged = false</c>.</summary>
    public int MaxSweeps { get; init; } = 1_000_000;

    /// <summary>[B*S] starting values V_0, index b*S + s, all finite; empty starts every MDP from 0 (as the solo solvers do).</summary>
    public ReadOnlyMemory<double> StartValues { get; init; }

    internal void Validate(int batchCount, int stateCount)
    {
        if (!(Tolerance > 0) || double.IsInfinity(Tolerance))
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "tolerance must be finite and > 0");
        if (MaxSweeps < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxSweeps), MaxSweeps, "max sweeps must be >= 1");
        if (StartValues.IsEmpty) return;
        long expected = (long)batchCount * stateCount;
        if (StartValues.Length != expected)
            throw new ArgumentException($"start values have {StartValues.Length} entries, expected B*S = {expected}", nameof(StartValues));
        var start = StartValues.Span;
        for (int i = 0; i < start.Length; i++)
            if (!double.IsFinite(start[i]))
                throw new ArgumentException($"start value of MDP {i / stateCount}, state {i % stateCount} is {start[i]} (must be finite)", nameof(StartValues));
    }
}
