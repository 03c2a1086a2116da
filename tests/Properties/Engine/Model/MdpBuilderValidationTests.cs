using TabularRL.Engine.Model;

namespace TabularRL.Tests.Engine.Model;

/// <summary>
/// Every validation rule of INTERFACES.md section 1, through <see cref="MdpBuilder"/>: each violation is a
/// <see cref="ModelValidationException"/> whose <c>Key</c> is the file key and whose message names the row as
/// (s=.., a=..) or (h=.., s=.., a=..) and the offending value.
/// </summary>
public sealed class MdpBuilderValidationTests
{
    // S = 3, A = 2. Rows: (0,0) -> {0: 1}; (0,1) -> {1: .5, 2: .5}; (1,0) -> {2: 1}; (1,1) -> {0: 1};
    // (2,0) -> {0: .25, 1: .75}; (2,1) -> {2: 1}. nnz = 8.
    private static MdpBuilder Valid() => new()
    {
        StateCount = 3,
        ActionCount = 2,
        Discount = 0.9,
        TransitionRowPointers = [0, 1, 3, 4, 5, 7, 8],
        TransitionColumns = [0, 1, 2, 2, 0, 0, 1, 2],
        TransitionProbabilities = [1, 0.5, 0.5, 1, 1, 0.25, 0.75, 1],
        Rewards = [1, 2, 3, 4, 5, 6],
        RewardsShape = [3, 2],
    };

    // The same model as dense [S,A,S].
    private static double[] Dense() =>
    [
        1, 0, 0, /**/ 0, 0.5, 0.5,
        0, 0, 1, /**/ 1, 0, 0,
        0.25, 0.75, 0, /**/ 0, 0, 1,
    ];

    private static MdpBuilder ValidDense()
    {
        var b = Valid();
        b.TransitionRowPointers = null;
        b.TransitionColumns = null;
        b.TransitionProbabilities = null;
        b.DenseTransitions = Dense();
        b.DenseTransitionsShape = [3, 2, 3];
        return b;
    }

    private static ModelValidationException AssertInvalid(MdpBuilder builder, string key, params string[] fragments)
    {
        var e = Assert.Throws<ModelValidationException>(() => builder.Build());
        Assert.Equal(key, e.Key);
        Assert.StartsWith(key + ": ", e.Message);
        foreach (string fragment in fragments)
            Assert.Contains(fragment, e.Message);
        return e;
    }

    private static MdpBuilder With(Action<MdpBuilder> change, MdpBuilder? start = null)
    {
        var b = start ?? Valid();
        change(b);
        return b;
    }

    [Fact]
    public void Build_ValidCsrAndDense_GiveTheSameModel()
    {
        var csr = Valid().Build();
        var dense = ValidDense().Build();
        Assert.Equal(csr.RowPointers.ToArray(), dense.RowPointers.ToArray());
        Assert.Equal(csr.Columns.ToArray(), dense.Columns.ToArray());
        Assert.Equal(csr.Probabilities.ToArray(), dense.Probabilities.ToArray());
        Assert.Equal(csr.ExpectedRewards.ToArray(), dense.ExpectedRewards.ToArray());
        Assert.Equal(new[] { 1 / 3.0, 1 / 3.0, 1 / 3.0 }, csr.InitialDistribution.ToArray());
    }

    [Fact]
    public void Build_NonStochasticRow_NamesRowAndSum()
        => AssertInvalid(With(b => b.TransitionProbabilities![3] = 0.9), "transitions_data", "(s=1, a=0)", "0.9");

    [Fact]
    public void Build_RowSumWithinTolerance_IsAccepted()
    {
        Valid().Build();
        With(b => b.TransitionProbabilities![3] = 1 + 5e-10).Build();
        AssertInvalid(With(b => b.TransitionProbabilities![3] = 1 + 5e-9), "transitions_data", "(s=1, a=0)", "1.000000005");
        With(b => { b.TransitionProbabilities![3] = 1 + 5e-9; b.RowSumTolerance = 1e-8; }).Build();
    }

    [Fact]
    public void Build_NegativeProbability_NamesRowAndValue()
        => AssertInvalid(With(b => { b.TransitionProbabilities![1] = 1.5; b.TransitionProbabilities[2] = -0.5; }), "transitions_data", "(s=0, a=1)", "-0.5");

    [Fact]
    public void Build_NaNProbability_NamesRowAndValue()
        => AssertInvalid(With(b => b.TransitionProbabilities![2] = double.NaN), "transitions_data", "(s=0, a=1)", "NaN");

    [Fact]
    public void Build_InfiniteProbability_NamesRowAndValue()
        => AssertInvalid(With(b => b.TransitionProbabilities![5] = double.PositiveInfinity), "transitions_data", "(s=2, a=0)", "Infinity");

    [Fact]
    public void Build_ColumnOutOfRange_NamesRowAndValue()
        => AssertInvalid(With(b => b.TransitionColumns![3] = 3), "transitions_indices", "(s=1, a=0)", "is 3", "[0, 3)");

    [Fact]
    public void Build_NegativeColumn_NamesRowAndValue()
        => AssertInvalid(With(b => b.TransitionColumns![4] = -1), "transitions_indices", "(s=1, a=1)", "is -1");

    [Fact]
    public void Build_WideColumnBeyondInt32_NamesRowAndValue()
    {
        var b = Valid();
        b.TransitionColumnsWide = b.TransitionColumns!.Select(c => (long)c).ToArray();
        b.TransitionColumns = null;
        b.Build();
        b.TransitionColumnsWide[6] = 1L << 33;
        AssertInvalid(b, "transitions_indices", "(s=2, a=0)", "8589934592");
    }

    [Fact]
    public void Build_WideColumnsInRange_AreNarrowed()
    {
        var b = Valid();
        b.TransitionColumnsWide = b.TransitionColumns!.Select(c => (long)c).ToArray();
        b.TransitionColumns = null;
        Assert.Equal(Valid().Build().Columns.ToArray(), b.Build().Columns.ToArray());
    }

    [Fact]
    public void Build_UnsortedColumns_NamesRowAndValues()
        => AssertInvalid(With(b => { b.TransitionColumns![1] = 2; b.TransitionColumns[2] = 1; }), "transitions_indices", "(s=0, a=1)", "is 1 after 2");

    [Fact]
    public void Build_DuplicateColumns_NamesRowAndValue()
        => AssertInvalid(With(b => { b.TransitionColumns![5] = 1; b.TransitionColumns[6] = 1; }), "transitions_indices", "(s=2, a=0)", "is 1 after 1");

    [Fact]
    public void Build_RowPointersWrongLength_NamesLengths()
        => AssertInvalid(With(b => b.TransitionRowPointers = [0, 1, 3, 4, 5, 8]), "transitions_indptr", "length 6", "S*A+1 = 7");

    [Fact]
    public void Build_RowPointersWrongLengthWithHorizon_NamesBothAcceptedLengths()
        => AssertInvalid(With(b => { b.Horizon = 2; b.TransitionRowPointers = [0, 1, 3, 4, 5, 8]; }), "transitions_indptr", "length 6", "S*A+1 = 7", "H*S*A+1 = 13");

    [Fact]
    public void Build_RowPointersFirstEntryNotZero_NamesValue()
        => AssertInvalid(With(b => b.TransitionRowPointers![0] = 1), "transitions_indptr", "entry [0] is 1");

    [Fact]
    public void Build_RowPointersLastEntryNotNnz_NamesValue()
        => AssertInvalid(With(b => b.TransitionRowPointers![6] = 7), "transitions_indptr", "last entry [6] is 7", "nnz = 8");

    [Fact]
    public void Build_RowPointersDecreasing_NamesRowAndValues()
        => AssertInvalid(With(b => b.TransitionRowPointers![3] = 2), "transitions_indptr", "(s=1, a=0)", "entry [3] is 2 after 3");

    [Fact]
    public void Build_DataLengthMismatch_NamesLengths()
        => AssertInvalid(With(b => b.TransitionProbabilities = [1, 0.5, 0.5, 1, 1, 0.25, 0.75]), "transitions_data", "length 7", "8");

    [Fact]
    public void Build_StageDependentCsrBadRow_NamesStageStateAction()
    {
        var b = Valid();
        b.Horizon = 2;
        // Two stages of the same rows; stage 1, row (s=2, a=1) sums to 0.5.
        b.TransitionRowPointers = [0, 1, 3, 4, 5, 7, 8, 9, 11, 12, 13, 15, 16];
        b.TransitionColumns = [.. b.TransitionColumns!, .. b.TransitionColumns!];
        b.TransitionProbabilities = [.. b.TransitionProbabilities!, 1, 0.5, 0.5, 1, 1, 0.25, 0.75, 0.5];
        AssertInvalid(b, "transitions_data", "(h=1, s=2, a=1)", "0.5");
    }

    [Fact]
    public void Build_NaNReward_NamesRowAndValue()
        => AssertInvalid(With(b => b.Rewards![3] = double.NaN), "rewards", "(s=1, a=1)", "NaN");

    [Fact]
    public void Build_InfiniteReward_NamesRowAndValue()
        => AssertInvalid(With(b => b.Rewards![4] = double.NegativeInfinity), "rewards", "(s=2, a=0)", "-Infinity");

    [Fact]
    public void Build_InfiniteRewardOnImpossibleTransition_NamesRowNextStateAndValue()
    {
        var b = Valid();
        b.Rewards = new double[3 * 2 * 3];
        b.RewardsShape = [3, 2, 3];
        b.Build();
        // (s=0, a=0) only reaches s'=0; s'=2 is impossible, and its reward must still be finite.
        b.Rewards[2] = double.PositiveInfinity;
        AssertInvalid(b, "rewards", "(s=0, a=0, s'=2)", "Infinity");
    }

    [Fact]
    public void Build_NaNRewardOnImpossibleTransitionOfDenseModel_NamesRowNextStateAndValue()
    {
        var b = ValidDense();
        b.Rewards = new double[18];
        b.RewardsShape = [3, 2, 3];
        b.Rewards[(1 * 2 + 1) * 3 + 2] = double.NaN; // (s=1, a=1) only reaches s'=0.
        AssertInvalid(b, "rewards", "(s=1, a=1, s'=2)", "NaN");
    }

    [Fact]
    public void Build_NaNAlignedReward_NamesKeyRowAndValue()
    {
        var b = Valid();
        b.Rewards = null;
        b.RewardsShape = null;
        b.TransitionRewards = [0, 0, 0, 0, 0, 0, double.NaN, 0];
        AssertInvalid(b, "rewards_sas_data", "(s=2, a=0)", "NaN");
    }

    [Fact]
    public void Build_RewardWrongShape_NamesShape()
        => AssertInvalid(With(b => { b.Rewards = new double[9]; b.RewardsShape = [3, 3]; }), "rewards", "shape (3, 3)", "[S,A] = (3, 2)");

    [Fact]
    public void Build_RewardWrongLengthForShape_NamesCounts()
        => AssertInvalid(With(b => b.Rewards = [1, 2, 3, 4, 5]), "rewards", "has 5 values", "expected 6");

    [Fact]
    public void Build_BothRewardsAndAligned_IsRejected()
        => AssertInvalid(With(b => b.TransitionRewards = new double[8]), "rewards", "both");

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(-0.1, "-0.1")]
    [InlineData(1.5, "1.5")]
    [InlineData(double.NaN, "NaN")]
    public void Build_DiscountOutOfRangeWithoutHorizon_NamesValue(double discount, string shown)
        => AssertInvalid(With(b => b.Discount = discount), "discount", shown, "0 <= gamma < 1 without a horizon");

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Build_DiscountOutOfRangeWithHorizon_NamesValue(double discount, string shown)
        => AssertInvalid(With(b => { b.Horizon = 3; b.Discount = discount; }), "discount", shown, "0 <= gamma <= 1 with a horizon");

    [Fact]
    public void Build_DiscountOneWithHorizon_IsAccepted()
        => Assert.Equal(1.0, With(b => { b.Horizon = 3; b.Discount = 1; }).Build().Discount);

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Build_HorizonBelowOne_NamesValue(int horizon)
        => AssertInvalid(With(b => b.Horizon = horizon), "horizon", $"{horizon} (must be >= 1)");

    [Fact]
    public void Build_InitialDistributionNegative_NamesStateAndValue()
        => AssertInvalid(With(b => b.InitialDistribution = [0.5, -0.5, 1]), "initial_distribution", "(s=1)", "-0.5");

    [Fact]
    public void Build_InitialDistributionNaN_NamesStateAndValue()
        => AssertInvalid(With(b => b.InitialDistribution = [0.5, 0.5, double.NaN]), "initial_distribution", "(s=2)", "NaN");

    [Fact]
    public void Build_InitialDistributionNotSummingToOne_NamesSum()
        => AssertInvalid(With(b => b.InitialDistribution = [0.5, 0.25, 0.125]), "initial_distribution", "sums to 0.875");

    [Fact]
    public void Build_InitialDistributionWrongLength_NamesLength()
        => AssertInvalid(With(b => b.InitialDistribution = [0.5, 0.5]), "initial_distribution", "length 2", "S = 3");

    [Fact]
    public void Build_DenseTransitionsWrongShape_NamesShape()
        => AssertInvalid(With(b => b.DenseTransitionsShape = [3, 2, 2], ValidDense()), "transitions", "shape (3, 2, 2)", "(3, 2, 3)");

    [Fact]
    public void Build_DenseTransitionsWrongCount_NamesCount()
        => AssertInvalid(With(b => b.DenseTransitions = Dense()[..17], ValidDense()), "transitions", "has 17 values", "18");

    [Fact]
    public void Build_DenseNegativeProbability_NamesRowNextStateAndValue()
        => AssertInvalid(With(b => { b.DenseTransitions![4] = 1.25; b.DenseTransitions[5] = -0.25; }, ValidDense()), "transitions", "(s=0, a=1, s'=2)", "-0.25");

    [Fact]
    public void Build_DenseNonStochasticRow_NamesRowAndSum()
        => AssertInvalid(With(b => b.DenseTransitions![12] = 0.5, ValidDense()), "transitions", "(s=2, a=0)", "sums to 1.25");

    [Fact]
    public void Build_DenseAndCsrBothGiven_IsRejected()
        => AssertInvalid(With(b => b.DenseTransitions = Dense()), "transitions", "both");

    [Fact]
    public void Build_NoTransitions_IsRejected()
        => AssertInvalid(With(b => { b.TransitionRowPointers = null; b.TransitionColumns = null; b.TransitionProbabilities = null; }), "transitions", "missing");

    [Fact]
    public void Build_PartialCsrKeys_NameTheMissingKey()
    {
        AssertInvalid(With(b => b.TransitionColumns = null), "transitions_indices", "missing");
        AssertInvalid(With(b => b.TransitionProbabilities = null), "transitions_data", "missing");
        AssertInvalid(With(b => b.TransitionRowPointers = null), "transitions_indptr", "missing");
    }

    [Theory]
    [InlineData(0, 2, "num_states")]
    [InlineData(3, 0, "num_actions")]
    public void Build_EmptyStateOrActionSpace_NamesKey(int states, int actions, string key)
        => AssertInvalid(With(b => { b.StateCount = states; b.ActionCount = actions; }), key, "must be >= 1");
}
