namespace TabularRL.Theory.Data;

/// <summary>One episode of a finite-horizon model: states s_0..s_H and actions a_0..a_{H-1}.</summary>
/// <remarks>The final state s_H is kept because Bellman least squares (THEORY.md section 5, step 2) regresses on V_{h+1}(s_{h+1}).</remarks>
public sealed class Trajectory
{
    private readonly int[] _states;
    private readonly int[] _actions;

    /// <summary>Wraps the arrays (owned by the trajectory from now on).</summary>
    /// <exception cref="ArgumentException">There is not exactly one more state than actions.</exception>
    public Trajectory(int[] states, int[] actions)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(actions);
        if (states.Length != actions.Length + 1)
            throw new ArgumentException($"a trajectory of {actions.Length} actions needs {actions.Length + 1} states, got {states.Length}", nameof(states));
        _states = states;
        _actions = actions;
    }

    /// <summary>H, the number of decisions.</summary>
    public int Length => _actions.Length;

    /// <summary>[H+1] states s_0..s_H.</summary>
    public ReadOnlySpan<int> States => _states;

    /// <summary>[H] actions a_0..a_{H-1}.</summary>
    public ReadOnlySpan<int> Actions => _actions;

    /// <summary>sum_h r_h(s_h, a_h) for stage rewards laid out [H*S*A] (or [S*A] for every stage).</summary>
    /// <param name="rewardsHSA">Rewards per stage, state and action.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    public double Return(ReadOnlySpan<double> rewardsHSA, int stateCount, int actionCount)
    {
        int perStage = stateCount * actionCount;
        bool staged = rewardsHSA.Length != perStage;
        double total = 0;
        for (int h = 0; h < Length; h++)
            total += rewardsHSA[(staged ? h * perStage : 0) + _states[h] * actionCount + _actions[h]];
        return total;
    }
}
