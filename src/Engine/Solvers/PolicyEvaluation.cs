using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers.Linear;
using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers;

/// <summary>V^pi, Q^pi, A^pi and J(pi) of a policy, with a certified error bound on V^pi.</summary>
public sealed class EvaluationResult
{
    private readonly double[] _values;
    private readonly double[] _qValues;
    private readonly double[] _advantages;

    internal EvaluationResult(int stateCount, int actionCount, int? horizon, double[] values, double[] qValues, double objective, double errorBound)
    {
        StateCount = stateCount;
        ActionCount = actionCount;
        Horizon = horizon;
        _values = values;
        _qValues = qValues;
        _advantages = new double[qValues.Length];
        for (int i = 0; i < qValues.Length; i++)
            _advantages[i] = qValues[i] - values[i / actionCount];
        Objective = objective;
        ErrorBound = errorBound;
    }

    /// <summary>S.</summary>
    public int StateCount { get; }

    /// <summary>A.</summary>
    public int ActionCount { get; }

    /// <summary>H for finite horizon, null otherwise.</summary>
    public int? Horizon { get; }

    /// <summary>H for finite horizon, 1 otherwise: the length of the leading axis of the arrays.</summary>
    public int StageCount => Horizon ?? 1;

    /// <summary>[StageCount*S] V^pi_h(s).</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>[StageCount*S*A] Q^pi_h(s,a).</summary>
    public ReadOnlySpan<double> QValues => _qValues;

    /// <summary>[StageCount*S*A] A^pi = Q^pi - V^pi.</summary>
    public ReadOnlySpan<double> Advantages => _advantages;

    /// <summary>J(pi) = mu0 . V^pi (stage 0 for finite horizon).</summary>
    public double Objective { get; }

    /// <summary>Certified sup-norm bound on the error of <see cref="Values"/> (0 for backward evaluation).</summary>
    public double ErrorBound { get; }
}

/// <summary>Exact policy evaluation (THEORY.md section 1): V^pi = (I - gamma P_pi)^{-1} r_pi, or backwards for finite horizon.</summary>
public static class PolicyEvaluation
{
    /// <summary>Evaluates <paramref name="policy"/> on <paramref name="mdp"/>.</summary>
    /// <param name="mdp">The model (its rewards are the ones evaluated).</param>
    /// <param name="policy">A policy with the model's S and A, and 1 or H stages.</param>
    /// <param name="backend">Where the products run.</param>
    /// <param name="directMaxStates">Dense LU up to this many states, Krylov above.</param>
    public static EvaluationResult Evaluate(Mdp mdp, Policy policy, IBellmanBackend backend, int directMaxStates = 256)
    {
        policy.CheckFits(mdp);
        int S = mdp.StateCount, A = mdp.ActionCount;
        var mu0 = mdp.InitialDistribution;
        if (!mdp.IsFiniteHorizon)
        {
            var problem = mdp.ProblemAt(0);
            var (matrix, rewardS) = PolicyMatrix.Build(problem, policy.At(0).Span);
            var solution = new PolicySystem(S).Solve(new MatrixOperator(backend, matrix), mdp.Discount, rewardS, [], directMaxStates);
            if (!double.IsFinite(solution.Residual))
                throw new NumericalException("policy evaluation: non-finite values (overflow?)");
            var q = Lookahead.Q(backend, problem, solution.X);
            return new EvaluationResult(S, A, null, solution.X, q, Dot(mu0, solution.X), solution.Residual / (1 - mdp.Discount));
        }

        int H = mdp.StageCount;
        var values = new double[(H + 1) * S];
        var qValues = new double[H * S * A];
        var scratch = new double[S];
        for (int h = H - 1; h >= 0; h--)
        {
            var problem = mdp.ProblemAt(h);
            var vNext = values.AsMemory((h + 1) * S, S);
            double change = backend.PolicyBackup(problem, policy.At(h), vNext, values.AsMemory(h * S, S));
            NumericalException.ThrowIfNonFinite(change, values.AsSpan(h * S, S), "policy evaluation", H - h, h);
            backend.HardBackup(problem, vNext, qValues.AsMemory(h * S * A, S * A), scratch, Memory<int>.Empty);
        }
        return new EvaluationResult(S, A, H, values[..(H * S)], qValues, Dot(mu0, values.AsSpan(0, S)), 0);
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
