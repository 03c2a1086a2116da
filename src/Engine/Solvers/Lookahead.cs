using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers;

/// <summary>One-step lookahead Q = r + gamma P V of given values, and the greedy result built from it.</summary>
internal static class Lookahead
{
    /// <summary>Q(s,a) = r(s,a) + gamma (P V)(s,a) for all (s,a).</summary>
    public static double[] Q(IBellmanBackend backend, in BellmanProblem problem, ReadOnlyMemory<double> vS)
    {
        var qSA = new double[problem.StateCount * problem.ActionCount];
        var scratch = new double[problem.StateCount];
        backend.HardBackup(problem, vS, qSA, scratch, Memory<int>.Empty);
        return qSA;
    }

    /// <summary>The result of a hard method that returns <paramref name="vS"/>: Q is its lookahead, the policy is greedy on Q.</summary>
    public static SolveResult GreedyResult(string method, IBellmanBackend backend, in BellmanProblem problem, double[] vS,
        int iterations, double residual, double errorBound, bool converged)
        => GreedyResult(method, problem, vS, Q(backend, problem, vS), iterations, residual, errorBound, converged);

    /// <summary>The result of a hard method from <paramref name="vS"/> and its already computed lookahead <paramref name="qSA"/>.</summary>
    public static SolveResult GreedyResult(string method, in BellmanProblem problem, double[] vS, double[] qSA,
        int iterations, double residual, double errorBound, bool converged)
    {
        var actions = new int[problem.StateCount];
        Greedy.Actions(qSA, problem.ActionCount, actions);
        return new SolveResult(method, problem.StateCount, problem.ActionCount, null, vS, qSA,
            Greedy.OneHot(actions, problem.ActionCount), actions, iterations, residual, errorBound, converged);
    }

    /// <summary>The certified factor gamma/(1-gamma) of a gamma-contraction: ||V_k - V*|| &lt;= factor ||V_k - V_{k-1}||.</summary>
    public static double ContractionFactor(double discount) => discount / (1 - discount);
}
