namespace TabularRL.Kernels;

/// <summary>Value iteration on a whole batch of small MDPs at once; the CPU backends and the GPU backend share this API.</summary>
/// <remarks>
/// The loop lives in the backend so that a GPU keeps the model and the values on the device for the whole solve and
/// brings back only the convergence state (every sweep, or every few sweeps); the CPU backends sweep the batch with the
/// same stopping rule. Each MDP b is swept with Jacobi value iteration, V_{k+1} = T V_k, until its certified bound
/// gamma_b/(1 - gamma_b) ||V_k - V_{k-1}||_inf (THEORY.md section 1) is at most the tolerance; from then on it is frozen,
/// so every MDP's result is exactly what a solo solve from the same start would give, whatever the batch around it.
/// Greedy actions are those of the last sweep of each MDP, ties to the lowest action.
/// <para>
/// Exactly, for MDP b with factor c_b = gamma_b/(1 - gamma_b) and start V_0 = valuesBS[b*S .. b*S + S): sweep k
/// (k = 1, 2, ...) computes V_k = T_b V_{k-1} with its greedy actions and the bound c_b ||V_k - V_{k-1}||_inf; MDP b
/// stops after the first sweep whose bound is &lt;= tolerance, or after <c>maxSweeps</c> sweeps, whichever comes first
/// (at least one sweep is always run, as in the Engine's solo ValueIteration). Its outputs are then V_k, the greedy
/// actions of sweep k (argmax of Q_{V_{k-1}}), that bound and k; later sweeps of the batch leave them untouched.
/// A sweep that produces a non-finite value (overflow, NaN) freezes that MDP at once with the values of that sweep
/// (so the caller can name the state) and a NaN bound; the other MDPs go on, and the call returns false.
/// </para>
/// </remarks>
public interface IBatchedBellmanBackend
{
    /// <summary>The name used by <c>--backend</c>.</summary>
    string Name { get; }

    /// <summary>Runs value iteration on every MDP of <paramref name="batch"/>.</summary>
    /// <param name="batch">The MDPs.</param>
    /// <param name="tolerance">Target certified sup-norm error per MDP, &gt; 0.</param>
    /// <param name="maxSweeps">Sweeps allowed per MDP, &gt;= 1.</param>
    /// <param name="valuesBS">[B*S] in: starting values; out: the final values.</param>
    /// <param name="actionsBS">[B*S] out: greedy actions of each MDP's last sweep.</param>
    /// <param name="errorBoundsB">[B] out: each MDP's certified bound after its last sweep.</param>
    /// <param name="sweepsB">[B] out: sweeps each MDP took.</param>
    /// <returns>Whether every MDP met the tolerance (false as well when some MDP's bound is NaN: a non-finite value).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The tolerance is not finite and &gt; 0, or <paramref name="maxSweeps"/> &lt; 1.</exception>
    /// <exception cref="ArgumentException">A buffer's length is not B*S or B (<see cref="BatchedSolveArguments.Check"/>).</exception>
    bool ValueIteration(in BatchedBellmanProblem batch, double tolerance, int maxSweeps,
        Memory<double> valuesBS, Memory<int> actionsBS, Memory<double> errorBoundsB, Memory<int> sweepsB);
}
