using TabularRL.Engine.Model;
using TabularRL.Theory.Claims;
using TabularRL.Theory.Data;

namespace TabularRL.Tests.Data;

/// <summary>Episode sampling and Bradley-Terry labels: determinism, support, and frequencies against the exact probabilities.</summary>
public sealed class TrajectorySamplerTests
{
    // Two states, two actions; action 1 always moves to state 1, action 0 stays; horizon 3; start in state 0.
    private static Mdp Chain(double reward1 = 1) => new MdpBuilder
    {
        StateCount = 2,
        ActionCount = 2,
        Discount = 1,
        Horizon = 3,
        DenseTransitions = [1, 0, 0, 1, /* s=1 */ 0, 1, 0, 1],
        DenseTransitionsShape = [2, 2, 2],
        Rewards = [0, reward1, 0, reward1],
        RewardsShape = [2, 2],
        InitialDistribution = [1, 0],
    }.Build();

    [Fact]
    public void Sample_SameSeed_SameEpisodes_AndEpisodesFollowTheModel()
    {
        var mdp = new ClaimInstances(3, new TabularRL.Kernels.Backends.ReferenceBackend()).Model(4, 3, 0.9).WithHorizon(5);
        var policy = Policy.Uniform(4, 3);
        var first = TrajectorySampler.Sample(mdp, policy, 50, new Random(9));
        var second = TrajectorySampler.Sample(mdp, policy, 50, new Random(9));
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(first[i].States.ToArray(), second[i].States.ToArray());
            Assert.Equal(first[i].Actions.ToArray(), second[i].Actions.ToArray());
            Assert.Equal(5, first[i].Length);
            for (int h = 0; h < 5; h++)
            {
                int row = first[i].States[h] * 3 + first[i].Actions[h];
                var rows = mdp.TransitionsAt(h);
                int start = (int)rows.RowPointers.Span[row], end = (int)rows.RowPointers.Span[row + 1];
                Assert.Contains(first[i].States[h + 1], rows.Columns.Span[start..end].ToArray());
            }
        }
    }

    [Fact]
    public void Sample_ActionFrequencies_MatchThePolicy()
    {
        var policy = Policy.FromProbabilities([0.8, 0.2, 0.5, 0.5], 1, 2, 2);
        var episodes = TrajectorySampler.Sample(Chain(), policy, 20000, new Random(5));
        // From state 0 the first action is 1 with probability 0.2; 4 standard errors is 0.0113.
        double moved = episodes.Count(e => e.Actions[0] == 1) / 20000.0;
        Assert.InRange(moved, 0.2 - 0.0113, 0.2 + 0.0113);
        Assert.All(episodes, e => Assert.Equal(e.Actions[0], e.States[1]));
    }

    [Fact]
    public void Preferences_FollowBradleyTerry()
    {
        // tau1 always takes action 1 (return 3 * 0.5), tau0 never (return 0): P(tau1 preferred) = sigma(1.5).
        var mdp = Chain(reward1: 0.5);
        var pairs = PreferenceSampler.Sample(mdp, Policy.FromActions([1, 1], 1, 2, 2), Policy.FromActions([0, 0], 1, 2, 2), 20000, new Random(6));
        double expected = 1 / (1 + Math.Exp(-1.5));
        double observed = pairs.Count(p => p.FirstPreferred) / 20000.0;
        Assert.InRange(observed, expected - 0.011, expected + 0.011);
        Assert.Equal(1.5, pairs[0].First.Return(mdp.ExpectedRewards, 2, 2), 14);
    }

    [Fact]
    public void Trajectory_WrongLengths_AreRejected()
        => Assert.Contains("needs 3 states", Assert.Throws<ArgumentException>(() => new Trajectory([0, 1], [0, 1])).Message);
}
