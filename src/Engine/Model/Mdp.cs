using TabularRL.Kernels;
using TabularRL.Kernels.Ordering;

namespace TabularRL.Engine.Model;

/// <summary>A validated, immutable finite MDP with sparse transitions (INTERFACES.md section 1).</summary>
/// <remarks>
/// Transitions are CSR over rows <c>h*S*A + s*A + a</c> (one stage for stationary models, H for stage-dependent ones);
/// rewards are kept as the expected reward rbar(s,a) = sum_{s'} P(s'|s,a) R(s,a,s') per stage, which is all that the
/// Bellman operators read (THEORY.md section 1). Per-transition rewards, when the model was given them, are kept
/// aligned with the CSR entries so that a model file round-trips. Build one with <see cref="MdpBuilder"/>.
/// </remarks>
public sealed class Mdp
{
    private readonly long[] _rowPointers;
    private readonly int[] _columns;
    private readonly double[] _probabilities;
    private readonly double[] _expectedRewards;
    private readonly double[]? _transitionRewards;
    private readonly double[] _initialDistribution;

    internal Mdp(int stateCount, int actionCount, double discount, int? horizon, long[] rowPointers, int[] columns,
        double[] probabilities, int transitionStageCount, double[] expectedRewards, int rewardStageCount,
        double[]? transitionRewards, double[] initialDistribution)
    {
        StateCount = stateCount;
        ActionCount = actionCount;
        Discount = discount;
        Horizon = horizon;
        _rowPointers = rowPointers;
        _columns = columns;
        _probabilities = probabilities;
        TransitionStageCount = transitionStageCount;
        _expectedRewards = expectedRewards;
        RewardStageCount = rewardStageCount;
        _transitionRewards = transitionRewards;
        _initialDistribution = initialDistribution;
    }

    /// <summary>S, the number of states.</summary>
    public int StateCount { get; }

    /// <summary>A, the number of actions (all allowed in every state).</summary>
    public int ActionCount { get; }

    /// <summary>gamma: in [0, 1) without a horizon, in [0, 1] with one.</summary>
    public double Discount { get; }

    /// <summary>H for an episodic model, null for an infinite-horizon discounted one.</summary>
    public int? Horizon { get; }

    /// <summary>Whether the model is episodic with horizon H.</summary>
    public bool IsFiniteHorizon => Horizon.HasValue;

    /// <summary>Stages with their own transitions: 1 (stationary) or H.</summary>
    public int TransitionStageCount { get; }

    /// <summary>Stages with their own expected rewards: 1 (stationary) or H.</summary>
    public int RewardStageCount { get; }

    /// <summary>Stages of the value arrays: H for an episodic model, 1 otherwise.</summary>
    public int StageCount => Horizon ?? 1;

    /// <summary>Number of stored transition entries over all stages.</summary>
    public long NonZeroCount => _columns.Length;

    /// <summary>[TransitionStageCount*S*A + 1] CSR row pointers.</summary>
    public ReadOnlySpan<long> RowPointers => _rowPointers;

    /// <summary>[nnz] next states, strictly increasing within a row.</summary>
    public ReadOnlySpan<int> Columns => _columns;

    /// <summary>[nnz] transition probabilities.</summary>
    public ReadOnlySpan<double> Probabilities => _probabilities;

    /// <summary>[RewardStageCount*S*A] expected rewards rbar_h(s,a).</summary>
    public ReadOnlySpan<double> ExpectedRewards => _expectedRewards;

    /// <summary>[nnz] rewards R(s,a,s') aligned with the CSR entries, or empty when rewards were given as R(s,a).</summary>
    public ReadOnlySpan<double> TransitionRewards => _transitionRewards;

    /// <summary>Whether rewards depend on the next state.</summary>
    public bool HasTransitionRewards => _transitionRewards is not null;

    /// <summary>[S] initial distribution mu0.</summary>
    public ReadOnlySpan<double> InitialDistribution => _initialDistribution;

    internal ReadOnlyMemory<double> InitialDistributionMemory => _initialDistribution;

    /// <summary>The transition rows of stage <paramref name="h"/> (stage 0 for a stationary model).</summary>
    /// <param name="h">Stage in [0, StageCount).</param>
    public SparseRows TransitionsAt(int h)
    {
        int stage = TransitionStageCount == 1 ? 0 : h;
        long perStage = (long)StateCount * ActionCount;
        return new SparseRows(_rowPointers.AsMemory((int)(stage * perStage), (int)perStage + 1), _columns, _probabilities);
    }

    /// <summary>[S*A] expected rewards of stage <paramref name="h"/>.</summary>
    /// <param name="h">Stage in [0, StageCount).</param>
    public ReadOnlyMemory<double> ExpectedRewardsAt(int h)
    {
        int stage = RewardStageCount == 1 ? 0 : h;
        int perStage = StateCount * ActionCount;
        return _expectedRewards.AsMemory(stage * perStage, perStage);
    }

    /// <summary>The Bellman data of stage <paramref name="h"/>, as the backends take it.</summary>
    /// <param name="h">Stage in [0, StageCount); 0 for an infinite-horizon model.</param>
    public BellmanProblem ProblemAt(int h) => new(TransitionsAt(h), ExpectedRewardsAt(h), StateCount, ActionCount, Discount);

    /// <summary>The same stationary model as an episodic one with horizon <paramref name="horizon"/> (same P and R at every stage).</summary>
    /// <param name="horizon">H &gt;= 1.</param>
    /// <param name="discount">gamma in [0, 1] for the episodic model (1 is allowed with a horizon); null keeps the model's.</param>
    /// <exception cref="ModelValidationException">H &lt; 1, gamma out of range, or the model already has a horizon.</exception>
    public Mdp WithHorizon(int horizon, double? discount = null)
    {
        if (horizon < 1)
            throw new ModelValidationException("horizon", $"{horizon} (must be >= 1)");
        if (IsFiniteHorizon)
            throw new ModelValidationException("horizon", $"the model already has horizon {Horizon}");
        double gamma = discount ?? Discount;
        if (!(gamma >= 0 && gamma <= 1))
            throw new ModelValidationException("discount", $"{Format.Value(gamma)} is out of range (0 <= gamma <= 1 with a horizon)");
        return new Mdp(StateCount, ActionCount, gamma, horizon, _rowPointers, _columns, _probabilities,
            TransitionStageCount, _expectedRewards, RewardStageCount, _transitionRewards, _initialDistribution);
    }

    /// <summary>The same dynamics with other expected rewards (e.g. to evaluate a policy under another reward).</summary>
    /// <param name="expectedRewards">[stages*S*A] finite values, stages 1 or H (see <see cref="RewardTable.ExpectedFor"/>).</param>
    public Mdp WithExpectedRewards(double[] expectedRewards)
    {
        int perStage = StateCount * ActionCount;
        int stages = expectedRewards.Length / perStage;
        if (expectedRewards.Length % perStage != 0 || !(stages == 1 || stages == StageCount))
            throw new ModelValidationException("rewards", $"{expectedRewards.Length} expected rewards, expected S*A = {perStage}" + (IsFiniteHorizon ? $" or H*S*A = {StageCount * perStage}" : ""));
        for (int i = 0; i < expectedRewards.Length; i++)
            if (!double.IsFinite(expectedRewards[i]))
                throw new ModelValidationException("rewards", $"entry {Format.Row(i, StateCount, ActionCount, stages > 1)} is {Format.Value(expectedRewards[i])} (rewards must be finite)");
        return new Mdp(StateCount, ActionCount, Discount, Horizon, _rowPointers, _columns, _probabilities,
            TransitionStageCount, (double[])expectedRewards.Clone(), stages, null, _initialDistribution);
    }

    /// <summary>The same model with its states relabelled: original state <c>permutation.NewToOld[n]</c> becomes state n.</summary>
    /// <param name="permutation">A permutation of the S states, e.g. <see cref="ReverseCuthillMcKee.Order"/> of this model.</param>
    /// <remarks>Every stage's rows, the columns (sorted again within each row), the probabilities, the rewards and the
    /// initial distribution move together, so the model is the same up to the names of its states; map results back
    /// with <see cref="Solvers.SolveResult.InOriginalOrder"/>.</remarks>
    /// <exception cref="ArgumentException">The permutation is over another number of states.</exception>
    public Mdp Reordered(StatePermutation permutation)
    {
        ArgumentNullException.ThrowIfNull(permutation);
        if (permutation.StateCount != StateCount)
            throw new ArgumentException($"the permutation is over {permutation.StateCount} states, the model has {StateCount}", nameof(permutation));
        var rows = permutation.PermuteRows(_rowPointers, _columns, ActionCount);
        var expectedRewards = new double[_expectedRewards.Length];
        permutation.ToNew<double>(_expectedRewards, expectedRewards, ActionCount);
        var initial = new double[StateCount];
        permutation.ToNew<double>(_initialDistribution, initial, 1);
        return new Mdp(StateCount, ActionCount, Discount, Horizon, rows.RowPointers, rows.Columns,
            StatePermutation.Gather<double>(rows, _probabilities), TransitionStageCount, expectedRewards, RewardStageCount,
            _transitionRewards is null ? null : StatePermutation.Gather<double>(rows, _transitionRewards), initial);
    }
}
