namespace TabularRL.Engine.Solvers;

/// <summary>The immutable outcome of <see cref="BatchedValueIteration"/>: per MDP, what a solo value-iteration solve would report.</summary>
/// <remarks>Arrays over states are [B*S] with index b*S + s; arrays over MDPs are [B].</remarks>
public sealed class BatchedSolveResult
{
    private readonly double[] _values;
    private readonly int[] _actions;
    private readonly double[] _errorBounds;
    private readonly int[] _sweeps;
    private readonly bool[] _converged;

    internal BatchedSolveResult(int batchCount, int stateCount, int actionCount, double tolerance, double[] values, int[] actions,
        double[] errorBounds, int[] sweeps)
    {
        BatchCount = batchCount;
        StateCount = stateCount;
        ActionCount = actionCount;
        _values = values;
        _actions = actions;
        _errorBounds = errorBounds;
        _sweeps = sweeps;
        _converged = Array.ConvertAll(errorBounds, bound => bound <= tolerance);
        AllConverged = Array.TrueForAll(_converged, c => c);
    }

    /// <summary>B.</summary>
    public int BatchCount { get; }

    /// <summary>S, per MDP.</summary>
    public int StateCount { get; }

    /// <summary>A.</summary>
    public int ActionCount { get; }

    /// <summary>[B*S] the values V_k of each MDP's last sweep.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>[B*S] the greedy actions of each MDP's last sweep (argmax of Q of the values before it), ties to the lowest index.</summary>
    public ReadOnlySpan<int> Actions => _actions;

    /// <summary>[B] certified bounds gamma_b/(1-gamma_b) ||V_k - V_{k-1}||_inf on the sup-norm distance of each MDP's values to its fixed point.</summary>
    public ReadOnlySpan<double> ErrorBounds => _errorBounds;

    /// <summary>[B] sweeps each MDP took.</summary>
    public ReadOnlySpan<int> Sweeps => _sweeps;

    /// <summary>[B] whether each MDP met the tolerance.</summary>
    public ReadOnlySpan<bool> Converged => _converged;

    /// <summary>Whether every MDP met the tolerance.</summary>
    public bool AllConverged { get; }

    /// <summary>[S] the values of MDP <paramref name="b"/>.</summary>
    public ReadOnlySpan<double> ValuesOf(int b) => _values.AsSpan(Checked(b) * StateCount, StateCount);

    /// <summary>[S] the greedy actions of MDP <paramref name="b"/>.</summary>
    public ReadOnlySpan<int> ActionsOf(int b) => _actions.AsSpan(Checked(b) * StateCount, StateCount);

    private int Checked(int b)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(b, BatchCount);
        return b;
    }
}
