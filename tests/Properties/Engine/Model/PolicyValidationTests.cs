using TabularRL.Engine.Model;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Engine.Model;

/// <summary>Policy construction rules (INTERFACES.md section 2): messages name the key, the state (and stage) and the value.</summary>
public sealed class PolicyValidationTests
{
    private static ModelValidationException AssertInvalid(Action build, string key, params string[] fragments)
    {
        var e = Assert.Throws<ModelValidationException>(build);
        Assert.Equal(key, e.Key);
        Assert.StartsWith(key + ": ", e.Message);
        foreach (string fragment in fragments)
            Assert.Contains(fragment, e.Message);
        return e;
    }

    [Fact]
    public void FromProbabilities_Valid_KeepsValues()
    {
        var p = Policy.FromProbabilities([0.25, 0.75, 1, 0], 1, 2, 2);
        Assert.Equal(new[] { 0.25, 0.75, 1, 0 }, p.Probabilities.ToArray());
        Assert.Equal(1, p.StageCount);
    }

    [Fact]
    public void FromProbabilities_WrongLength_NamesCounts()
        => AssertInvalid(() => Policy.FromProbabilities([0.5, 0.5, 1], 1, 2, 2), "policy", "has 3 values", "expected 4");

    [Fact]
    public void FromProbabilities_RowNotSummingToOne_NamesStateAndSum()
        => AssertInvalid(() => Policy.FromProbabilities([0.5, 0.5, 0.25, 0.25], 1, 2, 2), "policy", "(s=1)", "sums to 0.5");

    [Fact]
    public void FromProbabilities_Negative_NamesStateActionAndValue()
        => AssertInvalid(() => Policy.FromProbabilities([1.25, -0.25, 1, 0], 1, 2, 2), "policy", "(s=0, a=1)", "-0.25");

    [Fact]
    public void FromProbabilities_NaN_NamesStateActionAndValue()
        => AssertInvalid(() => Policy.FromProbabilities([1, 0, double.NaN, 1], 1, 2, 2), "policy", "(s=1, a=0)", "NaN");

    [Fact]
    public void FromProbabilities_StagedBadRow_NamesStageStateAndValue()
        => AssertInvalid(() => Policy.FromProbabilities([1, 0, 0, 1, 0.5, 0.5, 0.5, -0.5], 2, 2, 2, key: "reference"), "reference", "(h=1, s=1, a=1)", "-0.5");

    [Fact]
    public void FromActions_OutOfRange_NamesStateAndAction()
    {
        AssertInvalid(() => Policy.FromActions([0, 2], 1, 2, 2), "policy", "(s=1)", "is 2", "[0, 2)");
        AssertInvalid(() => Policy.FromActions([-1, 0], 1, 2, 2), "policy", "(s=0)", "is -1");
        AssertInvalid(() => Policy.FromActions([0, 1, 1, 5], 2, 2, 2), "policy", "(h=1, s=1)", "is 5");
    }

    [Fact]
    public void FromActions_WrongLength_NamesCounts()
        => AssertInvalid(() => Policy.FromActions([0, 1, 1], 1, 2, 2), "policy", "has 3 actions", "expected 2");

    [Fact]
    public void CheckFits_OtherShapes_NameBothShapes()
    {
        var mdp = new MdpBuilder { StateCount = 2, ActionCount = 2, Discount = 0.5, Horizon = 3, DenseTransitions = [1, 0, 0, 1, 0, 1, 1, 0], Rewards = [0, 0, 0, 0] }.Build();
        AssertInvalid(() => Policy.Uniform(3, 2).CheckFits(mdp), "policy", "S=3, A=2", "S=2, A=2");
        AssertInvalid(() => Policy.FromActions([0, 0, 0, 0], 2, 2, 2).CheckFits(mdp), "policy", "2 stages", "horizon 3");
        Policy.FromActions([0, 0, 0, 0, 1, 1], 3, 2, 2).CheckFits(mdp);
        Policy.Uniform(2, 2).CheckFits(mdp);
    }

    [Fact]
    public void RewardTableExpectedFor_WrongShape_NamesKeyAndShape()
    {
        var mdp = new MdpBuilder { StateCount = 2, ActionCount = 2, Discount = 0.5, DenseTransitions = [1, 0, 0, 1, 0, 1, 1, 0], Rewards = [0, 0, 0, 0] }.Build();
        var e = Assert.Throws<ModelValidationException>(() => RewardTable.ExpectedFor(mdp, new double[6], [3, 2], "reward"));
        Assert.Equal("reward", e.Key);
        Assert.Contains("shape (3, 2)", e.Message);
        var expected = RewardTable.ExpectedFor(mdp, [1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
        // rbar(s,a) = sum_s' P R: (0,0)->s0: 1; (0,1)->s1: 4; (1,0)->s1: 6; (1,1)->s0: 7.
        Assert.Equal(new double[] { 1, 4, 6, 7 }, expected);
    }

    [Fact]
    public void RandomModels_BuildThroughCsrOrDense_Validate()
    {
        // The generators' models are valid by construction; any rejection is a generator or validation bug.
        PropertyCheck.Run(FsCheck.Fluent.Arb.ToArbitrary(ModelGenerators.Discounted()), model =>
        {
            var mdp = model.Build();
            Assert.Equal(model.ExpectedRewards(), mdp.ExpectedRewards.ToArray(), new ToleranceComparer(1e-12 * model.RewardScale));
        });
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
