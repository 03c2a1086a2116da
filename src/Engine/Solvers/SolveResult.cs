using TabularRL.Kernels.Ordering;

namespace TabularRL.Engine.Solvers;

/// <summary>The immutable outcome of a solver (INTERFACES.md section 3).</summary>
/// <remarks>
/// Arrays have a leading stage axis of length <see cref="StageCount"/> (1 for infinite-horizon models).
/// <see cref="Actions"/> breaks ties to the lowest action index: an action counts as tied with the maximum when it is
/// within <see cref="Greedy.TieTolerance"/> of it.
/// </remarks>
public sealed class SolveResult
{
    private readonly double[] _values;
    private readonly double[] _qValues;
    private readonly double[] _policy;
    private readonly int[] _actions;

    internal SolveResult(string method, int stateCount, int actionCount, int? horizon, double[] values, double[] qValues,
        double[] policy, int[] actions, int iterations, double residual, double errorBound, bool converged)
    {
        Method = method;
        StateCount = stateCount;
        ActionCount = actionCount;
        Horizon = horizon;
        _values = values;
        _qValues = qValues;
        _policy = policy;
        _actions = actions;
        Iterations = iterations;
        Residual = residual;
        ErrorBound = errorBound;
        Converged = converged;
    }

    /// <summary>Name of the scheme that ran, e.g. <c>value-iteration</c> or <c>backward-induction</c>.</summary>
    public string Method { get; }

    /// <summary>S.</summary>
    public int StateCount { get; }

    /// <summary>A.</summary>
    public int ActionCount { get; }

    /// <summary>H for finite-horizon results, null for discounted ones.</summary>
    public int? Horizon { get; }

    /// <summary>H for finite-horizon results, 1 otherwise: the length of the leading axis of the arrays.</summary>
    public int StageCount => Horizon ?? 1;

    /// <summary>[StageCount*S] values V_h(s).</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>[StageCount*S*A] Q_h(s,a).</summary>
    public ReadOnlySpan<double> QValues => _qValues;

    /// <summary>[StageCount*S*A] the returned policy as probabilities (one-hot for greedy methods).</summary>
    public ReadOnlySpan<double> Policy => _policy;

    /// <summary>[StageCount*S] greedy actions, ties to the lowest index.</summary>
    public ReadOnlySpan<int> Actions => _actions;

    /// <summary>Sweeps or policy-improvement steps used.</summary>
    public int Iterations { get; }

    /// <summary>Final sup-norm Bellman residual.</summary>
    public double Residual { get; }

    /// <summary>Certified bound on the sup-norm distance of <see cref="Values"/> to the exact fixed point.</summary>
    public double ErrorBound { get; }

    /// <summary>Whether the tolerance was met.</summary>
    public bool Converged { get; }

    /// <summary>This result of a solve on a relabelled model (<see cref="Model.Mdp.Reordered"/>), with its states put back in the original order.</summary>
    /// <param name="permutation">The permutation the model was relabelled with.</param>
    /// <exception cref="ArgumentException">The permutation is over another number of states.</exception>
    public SolveResult InOriginalOrder(StatePermutation permutation)
    {
        ArgumentNullException.ThrowIfNull(permutation);
        if (permutation.StateCount != StateCount)
            throw new ArgumentException($"the permutation is over {permutation.StateCount} states, the result has {StateCount}", nameof(permutation));
        var values = new double[_values.Length];
        var qValues = new double[_qValues.Length];
        var policy = new double[_policy.Length];
        var actions = new int[_actions.Length];
        permutation.ToOriginal<double>(_values, values, 1);
        permutation.ToOriginal<double>(_qValues, qValues, ActionCount);
        permutation.ToOriginal<double>(_policy, policy, ActionCount);
        permutation.ToOriginal<int>(_actions, actions, 1);
        return new SolveResult(Method, StateCount, ActionCount, Horizon, values, qValues, policy, actions, Iterations, Residual, ErrorBound, Converged);
    }
}
