namespace TabularRL.Kernels;

/// <summary>B independent discounted MDPs of one shape (S states, A actions), stored back to back for batched solving.</summary>
/// <remarks>
/// Transitions are one CSR over B*S*A rows, row (b*S + s)*A + a, whose columns are next states local to MDP b (in [0, S));
/// rewards are [B*S*A] and discounts [B]. Thousands of small models (the claims catalogue's and property sweeps' scale)
/// are then one problem: one pass over the batch per sweep on the CPU, one launch per sweep on a GPU.
/// </remarks>
public readonly struct BatchedBellmanProblem
{
    /// <summary>Wraps the arrays; the caller guarantees the CSR invariants (the Engine's BatchedMdp validates them).</summary>
    /// <param name="transitions">CSR over B*S*A rows with local columns.</param>
    /// <param name="rewardsBSA">[B*S*A] expected rewards.</param>
    /// <param name="discountsB">[B] discounts in [0, 1).</param>
    /// <param name="batchCount">B.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    public BatchedBellmanProblem(SparseRows transitions, ReadOnlyMemory<double> rewardsBSA, ReadOnlyMemory<double> discountsB, int batchCount, int stateCount, int actionCount)
    {
        long rows = (long)batchCount * stateCount * actionCount;
        if (transitions.RowCount != rows)
            throw new ArgumentException($"transitions have {transitions.RowCount} rows, expected B*S*A = {rows}", nameof(transitions));
        if (rewardsBSA.Length != rows)
            throw new ArgumentException($"rewards have {rewardsBSA.Length} entries, expected B*S*A = {rows}", nameof(rewardsBSA));
        if (discountsB.Length != batchCount)
            throw new ArgumentException($"discounts have {discountsB.Length} entries, expected B = {batchCount}", nameof(discountsB));
        Transitions = transitions;
        RewardsBSA = rewardsBSA;
        DiscountsB = discountsB;
        BatchCount = batchCount;
        StateCount = stateCount;
        ActionCount = actionCount;
    }

    /// <summary>Transition rows (b*S + s)*A + a, columns local to each MDP.</summary>
    public SparseRows Transitions { get; }

    /// <summary>[B*S*A] expected rewards.</summary>
    public ReadOnlyMemory<double> RewardsBSA { get; }

    /// <summary>[B] discounts.</summary>
    public ReadOnlyMemory<double> DiscountsB { get; }

    /// <summary>B.</summary>
    public int BatchCount { get; }

    /// <summary>S, per MDP.</summary>
    public int StateCount { get; }

    /// <summary>A.</summary>
    public int ActionCount { get; }
}
