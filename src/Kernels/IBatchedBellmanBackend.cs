namespace TabularRL.Kernels;

/// <summary>Value iteration on a whole batch of small MDPs at once; the CPU backends and the GPU backend share this API.</summary>
/// <remarks>
/// The loop lives in the backend so that a GPU keeps the model and the values on the device for the whole solve and
/// brings back only the convergence state (every sweep, or every few sweeps); the CPU backends sweep the batch with the
/// same stopping rule. Each MDP b is swept with Jacobi value iteration, V_{k+1} = T V_k, until its certified bound
/// gamma_b/(1 - gamma_b) ||V_k - V_{k-1}||_inf (THEORY.md section 1) is at most the tolerance; from then on it is frozen,
/// so every MDP's result is exactly what a solo solve from the same start would give, whatever the batch around it.
/// Greedy actions are those of the last sweep of each MDP, ties to the lowest action.
/// </remarks>
public interface IBatchedBellmanBackend
{
    /// <summary>The name used by <c>--backend</c>.</summary>
    string Name { get; }

    /// <summary>Runs value iteration on every MDP of <paramref name="batch"/>.</summary>
    /// <param name="batch">The MDPs.</param>
    /// <param name="tolerance">Target certified sup-norm error per MDP, &gt; 0.</param>
    /// <param name="maxSweeps">Sweeps allowed per MDP.</param>
    /// <param name="valuesBS">[B*S] in: starting values; out: the final values.</param>
    /// <param name="actionsBS">[B*S] out: greedy actions of each MDP's last sweep.</param>
    /// <param name="errorBoundsB">[B] out: each MDP's certified bound after its last sweep.</param>
    /// <param name="sweepsB">[B] out: sweeps each MDP took.</param>
    /// <returns>Whether every MDP met the tolerance; a non-finite value stops the solve with a NaN bound for that MDP.</returns>
    bool ValueIteration(in BatchedBellmanProblem batch, double tolerance, int maxSweeps,
        Memory<double> valuesBS, Memory<int> actionsBS, Memory<double> errorBoundsB, Memory<int> sweepsB);
}
