using TabularRL.Theory.Data;
using TabularRL.Theory.Linear;

namespace TabularRL.Tests.Linear;

/// <summary>The feature map's choice data: the rows of the choice set at the visited state, and the errors.</summary>
public sealed class FeatureMapTests
{
    // S = 2, A = 3, d = 2: phi(s,a) = (s, a) / 4.
    private static readonly FeatureMap Features = new(
        Enumerable.Range(0, 2).SelectMany(s => Enumerable.Range(0, 3).SelectMany(a => new[] { s / 4.0, a / 4.0 })).ToArray(), 2, 3, 2);

    private static readonly Trajectory[] Episodes = [new([1, 0, 1], [1, 0]), new([0, 1, 0], [0, 1])];

    [Fact]
    public void StageChoices_CopiesTheChoiceSetRowsOfTheVisitedState()
    {
        var data = Features.StageChoices(Episodes, 1, choiceSetSize: 2);
        Assert.Equal(2, data.Count);
        Assert.Equal(2, data.ActionCount);
        // Episode 0 is in state 0 at stage 1 and took action 0; episode 1 is in state 1 and took action 1.
        Assert.Equal([0, 0, 0, 0.25], data.FeaturesOf(0).ToArray());
        Assert.Equal([0.25, 0, 0.25, 0.25], data.FeaturesOf(1).ToArray());
        Assert.Equal(0, data.ChoiceOf(0));
        Assert.Equal(1, data.ChoiceOf(1));
    }

    [Fact]
    public void StageChoices_ActionOutsideTheChoiceSetOrStageBeyondTheEpisode_IsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => Features.StageChoices(Episodes, 0, choiceSetSize: 1));
        Assert.Contains("trajectory 0 takes action 1 at stage 0, outside the choice set [0, 1)", e.Message);
        Assert.Contains("trajectory 0 has 2 steps, no stage 2", Assert.Throws<ArgumentException>(() => Features.StageChoices(Episodes, 2, 3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Features.StageChoices(Episodes, 0, 4));
    }
}
