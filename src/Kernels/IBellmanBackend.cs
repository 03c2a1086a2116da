namespace TabularRL.Kernels;

/// <summary>The Bellman primitives every solver is written against; implementations differ only in speed.</summary>
/// <remarks>
/// Each backup reads V, writes Q(s,a) = r(s,a) + gamma (P V)(s,a) (skipped when <c>qSA</c> is empty) and a new value
/// per state, and returns the sup-norm change max_s |vOut(s) - vIn(s)|. A backup returns <see cref="double.NaN"/> when a
/// new value is not finite, so the caller can report where. Argmax ties go to the lowest action index.
/// Implementations must give results that do not depend on the number of threads.
/// </remarks>
public interface IBellmanBackend : IDisposable
{
    /// <summary>The name used by <c>--backend</c>.</summary>
    string Name { get; }

    /// <summary>Whether this backend can run on this machine.</summary>
    bool IsAvailable { get; }

    /// <summary>Hard backup: vOut(s) = max_a Q(s,a), argmaxS(s) = the first maximising action.</summary>
    /// <param name="problem">Transitions, rewards and discount.</param>
    /// <param name="vS">[S] current values.</param>
    /// <param name="qSA">[S*A] output Q, or empty.</param>
    /// <param name="vOutS">[S] output values; must not overlap <paramref name="vS"/>.</param>
    /// <param name="argmaxS">[S] output greedy actions, or empty.</param>
    double HardBackup(in BellmanProblem problem, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS, Memory<int> argmaxS);

    /// <summary>Soft backup: vOut(s) = t log sum_a exp(Q(s,a)/t), computed with the maximum subtracted (THEORY.md section 2).</summary>
    /// <param name="problem">Transitions, rewards and discount.</param>
    /// <param name="temperature">t &gt; 0.</param>
    /// <param name="vS">[S] current values.</param>
    /// <param name="qSA">[S*A] output Q, or empty.</param>
    /// <param name="vOutS">[S] output values.</param>
    double SoftBackup(in BellmanProblem problem, double temperature, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS);

    /// <summary>KL-regularised backup: vOut(s) = l log sum_a piRef(a|s) exp(Q(s,a)/l), over the support of piRef.</summary>
    /// <param name="problem">Transitions, rewards and discount.</param>
    /// <param name="coefficient">l &gt; 0.</param>
    /// <param name="logReferenceSA">[S*A] log piRef(a|s), negative infinity where piRef is 0; every row has a finite entry.</param>
    /// <param name="vS">[S] current values.</param>
    /// <param name="qSA">[S*A] output Q, or empty.</param>
    /// <param name="vOutS">[S] output values.</param>
    double KlBackup(in BellmanProblem problem, double coefficient, ReadOnlyMemory<double> logReferenceSA, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS);

    /// <summary>Policy-evaluation sweep for a stochastic policy: vOut(s) = sum_a pi(a|s) Q(s,a).</summary>
    /// <param name="problem">Transitions, rewards and discount.</param>
    /// <param name="policySA">[S*A] probabilities pi(a|s); actions with probability 0 are skipped.</param>
    /// <param name="vS">[S] current values.</param>
    /// <param name="vOutS">[S] output values.</param>
    double PolicyBackup(in BellmanProblem problem, ReadOnlyMemory<double> policySA, ReadOnlyMemory<double> vS, Memory<double> vOutS);

    /// <summary>Policy-evaluation sweep for a deterministic policy: vOut(s) = Q(s, actionsS(s)).</summary>
    /// <param name="problem">Transitions, rewards and discount.</param>
    /// <param name="actionsS">[S] actions in [0, A).</param>
    /// <param name="vS">[S] current values.</param>
    /// <param name="vOutS">[S] output values.</param>
    double DeterministicPolicyBackup(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> vS, Memory<double> vOutS);

    /// <summary>The product with a deterministic policy's transition rows: yS(s) = sum_s' P(s'|s, actionsS(s)) xS(s').</summary>
    /// <remarks>Krylov policy evaluation applies I - gamma P_pi through this, without copying the policy's rows.</remarks>
    /// <param name="problem">Transitions (rewards and discount unused).</param>
    /// <param name="actionsS">[S] actions in [0, A).</param>
    /// <param name="xS">[S] input.</param>
    /// <param name="yS">[S] output; must not overlap <paramref name="xS"/>.</param>
    void PolicyMultiply(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> xS, Memory<double> yS);

    /// <summary>One Gauss-Seidel sweep in state order, in place: each state uses the values already updated in this sweep.</summary>
    /// <param name="problem">Transitions, rewards and discount.</param>
    /// <param name="vS">[S] values, updated in place.</param>
    /// <param name="argmaxS">[S] output greedy actions, or empty.</param>
    double GaussSeidelSweep(in BellmanProblem problem, Memory<double> vS, Memory<int> argmaxS);

    /// <summary>Sparse product y = M x over all rows of <paramref name="matrix"/>.</summary>
    /// <param name="matrix">CSR rows.</param>
    /// <param name="x">Dense input, indexed by column.</param>
    /// <param name="y">[RowCount] output.</param>
    void Multiply(SparseRows matrix, ReadOnlyMemory<double> x, Memory<double> y);
}
