using TabularRL.Engine.Model;
using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers;

/// <summary>Value iteration on every MDP of a batch at once, each stopped on its own certified bound.</summary>
/// <remarks>
/// MDP b is swept with Jacobi updates V_{k+1} = T_b V_k until gamma_b/(1-gamma_b) ||V_k - V_{k-1}||_inf &lt;= tolerance
/// (THEORY.md section 1), then frozen, so its values, bound and sweep count are those of <see cref="ValueIteration"/>
/// on that MDP alone from the same start (bit for bit on the same backend). The greedy actions are those of the last
/// sweep, argmax_a Q_{V_{k-1}}(s,a) with ties to the lowest action, which differ from the greedy actions of V_k only
/// where two actions' Q lie within (1-gamma_b) times the bound of each other. The loop runs inside the backend
/// (<see cref="IBatchedBellmanBackend"/>): thousands of small models cost one call.
/// </remarks>
public static class BatchedValueIteration
{
    /// <summary>Solves every MDP of <paramref name="batch"/> to the tolerance of <paramref name="options"/>.</summary>
    /// <param name="batch">The MDPs.</param>
    /// <param name="options">Tolerance, sweep limit, optional start values.</param>
    /// <param name="backend">Where the sweeps run.</param>
    /// <exception cref="ArgumentOutOfRangeException">The tolerance or the sweep limit is out of range.</exception>
    /// <exception cref="ArgumentException">The start values have the wrong length or a non-finite entry (named by MDP and state).</exception>
    /// <exception cref="NumericalException">A value of some MDP became non-finite; the message names the first such MDP and state.</exception>
    public static BatchedSolveResult Solve(BatchedMdp batch, BatchedSolverOptions options, IBatchedBellmanBackend backend)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(backend);
        int batchCount = batch.BatchCount, stateCount = batch.StateCount;
        options.Validate(batchCount, stateCount);

        var valuesBS = new double[batchCount * stateCount];
        options.StartValues.Span.CopyTo(valuesBS);
        var actionsBS = new int[valuesBS.Length];
        var errorBoundsB = new double[batchCount];
        var sweepsB = new int[batchCount];
        backend.ValueIteration(batch.Problem, options.Tolerance, options.MaxSweeps, valuesBS, actionsBS, errorBoundsB, sweepsB);
        for (int b = 0; b < batchCount; b++)
            NumericalException.ThrowIfNonFinite(double.IsNaN(errorBoundsB[b]) ? double.NaN : 0,
                valuesBS.AsSpan(b * stateCount, stateCount), $"batched value iteration, MDP {b}", sweepsB[b]);
        return new BatchedSolveResult(batchCount, stateCount, batch.ActionCount, options.Tolerance, valuesBS, actionsBS, errorBoundsB, sweepsB);
    }
}
