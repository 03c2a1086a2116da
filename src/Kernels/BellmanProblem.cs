namespace TabularRL.Kernels;

/// <summary>The data of one Bellman backup: transitions over rows s*A + a, expected rewards and discount.</summary>
/// <remarks>Q(s,a) = rSA[s*A + a] + discount * sum_{s'} P(s'|s,a) V(s'), THEORY.md section 1.</remarks>
public readonly struct BellmanProblem
{
    /// <summary>Creates the problem for one stage (or the stationary model).</summary>
    /// <param name="transitions">CSR with S*A rows, row s*A + a, columns next states.</param>
    /// <param name="rewardsSA">[S*A] expected rewards rbar(s,a).</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="discount">gamma in [0, 1].</param>
    public BellmanProblem(SparseRows transitions, ReadOnlyMemory<double> rewardsSA, int stateCount, int actionCount, double discount)
    {
        if (transitions.RowCount != (long)stateCount * actionCount)
            throw new ArgumentException($"transitions have {transitions.RowCount} rows, expected S*A = {(long)stateCount * actionCount}", nameof(transitions));
        if (rewardsSA.Length != transitions.RowCount)
            throw new ArgumentException($"rewards have {rewardsSA.Length} entries, expected S*A = {transitions.RowCount}", nameof(rewardsSA));
        Transitions = transitions;
        RewardsSA = rewardsSA;
        StateCount = stateCount;
        ActionCount = actionCount;
        Discount = discount;
    }

    /// <summary>Transition rows s*A + a.</summary>
    public SparseRows Transitions { get; }

    /// <summary>[S*A] expected rewards.</summary>
    public ReadOnlyMemory<double> RewardsSA { get; }

    /// <summary>S.</summary>
    public int StateCount { get; }

    /// <summary>A.</summary>
    public int ActionCount { get; }

    /// <summary>gamma.</summary>
    public double Discount { get; }

    /// <summary>The same problem with its probabilities stored as float32 (<see cref="SparseRows.ToSingle"/>).</summary>
    public BellmanProblem WithSingleProbabilities() => new(Transitions.ToSingle(), RewardsSA, StateCount, ActionCount, Discount);
}
