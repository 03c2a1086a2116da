using TabularRL.Kernels;

namespace TabularRL.Engine.Model;

/// <summary>A validated, immutable batch of B infinite-horizon MDPs of one shape (S states, A actions), stored back to back.</summary>
/// <remarks>
/// Transitions are one CSR over the B*S*A rows (b*S + s)*A + a, whose columns are next states local to MDP b (in
/// [0, S)); expected rewards are [B*S*A] and discounts [B], one per MDP. This is the layout of
/// <see cref="BatchedBellmanProblem"/>, which the batched backends take (<see cref="Problem"/>). Build a batch from
/// <see cref="Mdp"/>s (<see cref="FromModels"/>), or from raw CSR or dense arrays (<see cref="FromCsr"/>,
/// <see cref="FromDense"/>), which are checked MDP by MDP with the rules of <see cref="MdpBuilder"/>; every error
/// names the MDP's index.
/// </remarks>
public sealed class BatchedMdp
{
    private readonly long[] _rowPointers;
    private readonly int[] _columns;
    private readonly double[] _probabilities;
    private readonly double[] _expectedRewards;
    private readonly double[] _discounts;

    private BatchedMdp(int stateCount, int actionCount, long[] rowPointers, int[] columns, double[] probabilities,
        double[] expectedRewards, double[] discounts)
    {
        StateCount = stateCount;
        ActionCount = actionCount;
        _rowPointers = rowPointers;
        _columns = columns;
        _probabilities = probabilities;
        _expectedRewards = expectedRewards;
        _discounts = discounts;
        Problem = new BatchedBellmanProblem(new SparseRows(rowPointers, columns, probabilities), expectedRewards, discounts,
            BatchCount, stateCount, actionCount);
    }

    /// <summary>B, the number of MDPs.</summary>
    public int BatchCount => _discounts.Length;

    /// <summary>S, the number of states of every MDP.</summary>
    public int StateCount { get; }

    /// <summary>A, the number of actions of every MDP.</summary>
    public int ActionCount { get; }

    /// <summary>Stored transition entries over the whole batch.</summary>
    public long NonZeroCount => _columns.Length;

    /// <summary>[B*S*A + 1] CSR row pointers over the rows (b*S + s)*A + a.</summary>
    public ReadOnlySpan<long> RowPointers => _rowPointers;

    /// <summary>[nnz] next states, local to each MDP (in [0, S)).</summary>
    public ReadOnlySpan<int> Columns => _columns;

    /// <summary>[nnz] transition probabilities.</summary>
    public ReadOnlySpan<double> Probabilities => _probabilities;

    /// <summary>[B*S*A] expected rewards rbar_b(s,a), index (b*S + s)*A + a.</summary>
    public ReadOnlySpan<double> ExpectedRewards => _expectedRewards;

    /// <summary>[B] discounts gamma_b in [0, 1).</summary>
    public ReadOnlySpan<double> Discounts => _discounts;

    /// <summary>The arrays as the batched backends take them.</summary>
    public BatchedBellmanProblem Problem { get; }

    /// <summary>MDP <paramref name="b"/> on its own (copies of its rows, rewards and discount; uniform initial distribution).</summary>
    /// <param name="b">Index in [0, B).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="b"/> is outside [0, B).</exception>
    public Mdp ModelAt(int b)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(b, BatchCount);
        int rows = StateCount * ActionCount;
        long first = _rowPointers[(long)b * rows], end = _rowPointers[(long)(b + 1) * rows];
        var rowPointers = new long[rows + 1];
        for (int r = 0; r <= rows; r++) rowPointers[r] = _rowPointers[(long)b * rows + r] - first;
        var initial = new double[StateCount];
        Array.Fill(initial, 1.0 / StateCount);
        return new Mdp(StateCount, ActionCount, _discounts[b], null, rowPointers, _columns[(int)first..(int)end],
            _probabilities[(int)first..(int)end], 1, _expectedRewards[(b * rows)..((b + 1) * rows)], 1, null, initial);
    }

    /// <summary>The batch of <paramref name="mdps"/>, in their order: MDP b of the batch is <c>mdps[b]</c>.</summary>
    /// <param name="mdps">At least one infinite-horizon model; all with the S and A of <c>mdps[0]</c>. Each keeps its own discount.</param>
    /// <exception cref="ArgumentException">The list is empty, or <c>mdps[b]</c> is null, finite-horizon, or of another S or A; the message names b.</exception>
    public static BatchedMdp FromModels(IReadOnlyList<Mdp> mdps)
    {
        ArgumentNullException.ThrowIfNull(mdps);
        if (mdps.Count == 0)
            throw new ArgumentException("a batch needs at least one MDP", nameof(mdps));
        int stateCount = mdps[0]?.StateCount ?? 0, actionCount = mdps[0]?.ActionCount ?? 0;
        long entries = 0;
        for (int b = 0; b < mdps.Count; b++)
        {
            var mdp = mdps[b] ?? throw new ArgumentException($"mdps[{b}] is null", nameof(mdps));
            if (mdp.IsFiniteHorizon)
                throw new ArgumentException($"mdps[{b}] has horizon {mdp.Horizon}; a batch holds infinite-horizon (discounted) models only", nameof(mdps));
            if (mdp.StateCount != stateCount || mdp.ActionCount != actionCount)
                throw new ArgumentException($"mdps[{b}] has S = {mdp.StateCount}, A = {mdp.ActionCount}, but mdps[0] has S = {stateCount}, A = {actionCount} (a batch has one shape)", nameof(mdps));
            entries += mdp.TransitionsAt(0).NonZeroCount;
        }
        long rowsPerMdp = (long)stateCount * actionCount, rowCount = rowsPerMdp * mdps.Count;
        if (entries > Array.MaxLength || rowCount + 1 > Array.MaxLength)
            throw new ArgumentException($"the batch is too large: {mdps.Count} MDPs with {rowCount} rows and {entries} entries (at most {Array.MaxLength} of either)", nameof(mdps));

        var rowPointers = new long[rowCount + 1];
        var columns = new int[entries];
        var probabilities = new double[entries];
        var rewards = new double[rowCount];
        var discounts = new double[mdps.Count];
        long offset = 0;
        for (int b = 0; b < mdps.Count; b++)
        {
            var mdp = mdps[b];
            var rows = mdp.TransitionsAt(0);
            var pointers = rows.RowPointers.Span;
            long first = pointers[0];
            int count = (int)(pointers[^1] - first);
            for (int r = 1; r <= rowsPerMdp; r++)
                rowPointers[b * rowsPerMdp + r] = offset + pointers[r] - first;
            rows.Columns.Span.Slice((int)first, count).CopyTo(columns.AsSpan((int)offset, count));
            rows.Values.Span.Slice((int)first, count).CopyTo(probabilities.AsSpan((int)offset, count));
            mdp.ExpectedRewardsAt(0).Span.CopyTo(rewards.AsSpan((int)(b * rowsPerMdp), (int)rowsPerMdp));
            discounts[b] = mdp.Discount;
            offset += count;
        }
        return new BatchedMdp(stateCount, actionCount, rowPointers, columns, probabilities, rewards, discounts);
    }

    /// <summary>A batch from CSR arrays over the B*S*A rows (b*S + s)*A + a, columns local to each MDP; B is the length of <paramref name="discountsB"/>.</summary>
    /// <param name="stateCount">S &gt;= 1.</param>
    /// <param name="actionCount">A &gt;= 1.</param>
    /// <param name="rowPointers">[B*S*A + 1] offsets from 0, non-decreasing, ending at nnz.</param>
    /// <param name="columns">[nnz] next states in [0, S), strictly increasing within a row.</param>
    /// <param name="probabilities">[nnz] probabilities, each row summing to 1 within <paramref name="rowSumTolerance"/>.</param>
    /// <param name="rewardsBSA">[B*S*A] finite expected rewards.</param>
    /// <param name="discountsB">[B] discounts in [0, 1), B &gt;= 1.</param>
    /// <param name="rowSumTolerance">How far a row may sum from 1.</param>
    /// <exception cref="ModelValidationException">An array has the wrong length, or MDP b breaks a rule of <see cref="MdpBuilder"/>; the message names the array, or b and then the row and value.</exception>
    public static BatchedMdp FromCsr(int stateCount, int actionCount, long[] rowPointers, int[] columns, double[] probabilities,
        double[] rewardsBSA, double[] discountsB, double rowSumTolerance = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(rowPointers);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(probabilities);
        long rowsPerMdp = CheckShape(stateCount, actionCount, rewardsBSA, discountsB);
        int batchCount = discountsB.Length;
        long rowCount = rowsPerMdp * batchCount;
        if (rowPointers.LongLength != rowCount + 1)
            throw new ModelValidationException("transitions_indptr", $"length {rowPointers.LongLength}, expected B*S*A + 1 = {rowCount + 1}");
        if (columns.Length != probabilities.Length)
            throw new ModelValidationException("transitions_data", $"length {probabilities.Length}, but transitions_indices has {columns.Length}");
        if (rowPointers[0] != 0 || rowPointers[^1] != columns.Length)
            throw new ModelValidationException("transitions_indptr", $"runs from {rowPointers[0]} to {rowPointers[^1]}, expected 0 to nnz = {columns.Length}");
        for (long r = 0; r < rowCount; r++)
            if (rowPointers[r + 1] < rowPointers[r])
                throw new ModelValidationException("transitions_indptr", $"decreases at row {r} (MDP {r / rowsPerMdp}): {rowPointers[r]} then {rowPointers[r + 1]}");

        var mdps = new Mdp[batchCount];
        for (int b = 0; b < batchCount; b++)
        {
            long first = rowPointers[b * rowsPerMdp], end = rowPointers[(b + 1) * rowsPerMdp];
            var pointers = new long[rowsPerMdp + 1];
            for (int r = 0; r <= rowsPerMdp; r++) pointers[r] = rowPointers[b * rowsPerMdp + r] - first;
            mdps[b] = BuildMember(b, new MdpBuilder
            {
                StateCount = stateCount,
                ActionCount = actionCount,
                Discount = discountsB[b],
                TransitionRowPointers = pointers,
                TransitionColumns = columns[(int)first..(int)end],
                TransitionProbabilities = probabilities[(int)first..(int)end],
                Rewards = rewardsBSA[(int)(b * rowsPerMdp)..(int)((b + 1) * rowsPerMdp)],
                RewardsShape = [stateCount, actionCount],
                RowSumTolerance = rowSumTolerance,
            });
        }
        return FromModels(mdps);
    }

    /// <summary>A batch from dense transitions [B, S, A, S]; B is the length of <paramref name="discountsB"/>. Zero entries are not stored.</summary>
    /// <param name="stateCount">S &gt;= 1.</param>
    /// <param name="actionCount">A &gt;= 1.</param>
    /// <param name="transitionsBSAS">[B*S*A*S] P_b(s'|s,a), index ((b*S + s)*A + a)*S + s', rows summing to 1.</param>
    /// <param name="rewardsBSA">[B*S*A] finite expected rewards.</param>
    /// <param name="discountsB">[B] discounts in [0, 1), B &gt;= 1.</param>
    /// <param name="rowSumTolerance">How far a row may sum from 1.</param>
    /// <exception cref="ModelValidationException">An array has the wrong length, or MDP b breaks a rule of <see cref="MdpBuilder"/>; the message names the array, or b and then the row and value.</exception>
    public static BatchedMdp FromDense(int stateCount, int actionCount, double[] transitionsBSAS, double[] rewardsBSA,
        double[] discountsB, double rowSumTolerance = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(transitionsBSAS);
        long rowsPerMdp = CheckShape(stateCount, actionCount, rewardsBSA, discountsB);
        int batchCount = discountsB.Length;
        long perMdp = rowsPerMdp * stateCount;
        if (transitionsBSAS.LongLength != perMdp * batchCount)
            throw new ModelValidationException("transitions", $"length {transitionsBSAS.LongLength}, expected B*S*A*S = {perMdp * batchCount}");
        var mdps = new Mdp[batchCount];
        for (int b = 0; b < batchCount; b++)
        {
            mdps[b] = BuildMember(b, new MdpBuilder
            {
                StateCount = stateCount,
                ActionCount = actionCount,
                Discount = discountsB[b],
                DenseTransitions = transitionsBSAS[(int)(b * perMdp)..(int)((b + 1) * perMdp)],
                DenseTransitionsShape = [stateCount, actionCount, stateCount],
                Rewards = rewardsBSA[(int)(b * rowsPerMdp)..(int)((b + 1) * rowsPerMdp)],
                RewardsShape = [stateCount, actionCount],
                RowSumTolerance = rowSumTolerance,
            });
        }
        return FromModels(mdps);
    }

    /// <summary>Checks S, A and the lengths of the reward and discount arrays; returns S*A.</summary>
    private static long CheckShape(int stateCount, int actionCount, double[] rewardsBSA, double[] discountsB)
    {
        ArgumentNullException.ThrowIfNull(rewardsBSA);
        ArgumentNullException.ThrowIfNull(discountsB);
        if (stateCount < 1)
            throw new ModelValidationException("num_states", $"{stateCount} (must be >= 1)");
        if (actionCount < 1)
            throw new ModelValidationException("num_actions", $"{actionCount} (must be >= 1)");
        if (discountsB.Length == 0)
            throw new ModelValidationException("discounts", "empty (a batch needs at least one MDP)");
        long rowsPerMdp = (long)stateCount * actionCount;
        if (rewardsBSA.LongLength != rowsPerMdp * discountsB.Length)
            throw new ModelValidationException("rewards", $"length {rewardsBSA.LongLength}, expected B*S*A = {rowsPerMdp * discountsB.Length}");
        return rowsPerMdp;
    }

    /// <summary>Builds MDP <paramref name="b"/>, its errors prefixed with its index; a discount of 1 is refused (no horizon here).</summary>
    private static Mdp BuildMember(int b, MdpBuilder builder)
    {
        try
        {
            return builder.Build();
        }
        catch (ModelValidationException e)
        {
            throw new ModelValidationException($"MDP {b}: {e.Key}", e.Message[(e.Key.Length + 2)..]);
        }
    }
}
