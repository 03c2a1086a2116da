using TabularRL.Engine.Model;
using TabularRL.Theory.Data;
using TabularRL.Theory.DemoReg;

namespace TabularRL.Tests.DemoReg;

/// <summary>KL_traj computed exactly by forward recursion, against a hand example and a Monte-Carlo estimate.</summary>
public sealed class TrajectoryKlTests
{
    [Fact]
    public void Compute_HandExample_MatchesTheWrittenOutSum()
    {
        // H = 2, S = 2, A = 2, mu0 = (1, 0); from s0 action 0 goes to s0, action 1 to s1 (both stages).
        var mdp = new MdpBuilder
        {
            StateCount = 2, ActionCount = 2, Horizon = 2, Discount = 1,
            DenseTransitions = [1, 0, 0, 1, 0.5, 0.5, 0.5, 0.5],
            DenseTransitionsShape = [2, 2, 2],
            Rewards = new double[4], RewardsShape = [2, 2],
            InitialDistribution = [1, 0],
        }.Build();
        // p: stage 0 plays (0.25, 0.75) at s0; stage 1 plays (1, 0) everywhere. q: uniform at stage 0, (0.5, 0.5) and (0.9, 0.1) at stage 1.
        var p = Policy.FromProbabilities([0.25, 0.75, 0.5, 0.5, 1, 0, 1, 0], 2, 2, 2);
        var q = Policy.FromProbabilities([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.9, 0.1], 2, 2, 2);
        // stage 0: KL((.25,.75)||(.5,.5)); stage 1: d_1 = (0.25, 0.75): 0.25 log(1/0.5) + 0.75 log(1/0.9).
        double expected = 0.25 * Math.Log(0.5) + 0.75 * Math.Log(1.5) + 0.25 * Math.Log(2) + 0.75 * Math.Log(1 / 0.9);
        Assert.Equal(expected, TrajectoryKl.Compute(mdp, p, q), 14);
        Assert.Equal(0, TrajectoryKl.Compute(mdp, p, p), 15);
    }

    [Fact]
    public void Compute_SupportMismatch_IsInfinite()
    {
        var random = new Random(3);
        var mdp = DemoRegInstances.Model(random, 2, 2, 2, 0.5);
        var p = Policy.FromProbabilities([0.5, 0.5, 0.5, 0.5], 1, 2, 2);
        var q = Policy.FromActions([0, 0], 1, 2, 2);
        Assert.Equal(double.PositiveInfinity, TrajectoryKl.Compute(mdp, p, q));
    }

    [Fact]
    public void Compute_RandomModel_AgreesWithMonteCarloWithinFiveStandardErrors()
    {
        // The Monte-Carlo estimate averages sum_h KL(p_h(s_h) || q_h(s_h)) over episodes of p; it is unbiased for
        // KL_traj, so |exact - estimate| exceeds five standard errors with probability below 1e-6 (CLT; 20000 episodes).
        var random = new Random(5);
        const int S = 4, A = 3, H = 4;
        var mdp = DemoRegInstances.Model(random, S, A, H, 0);
        var p = RandomPolicy(random, H, S, A);
        var q = RandomPolicy(random, H, S, A);
        double exact = TrajectoryKl.Compute(mdp, p, q);
        var episodes = TrajectorySampler.Sample(mdp, p, 20000, random);
        var samples = episodes.Select(e =>
        {
            double total = 0;
            for (int h = 0; h < H; h++)
                total += TrajectoryKl.Kl(p.At(h).Span.Slice(e.States[h] * A, A), q.At(h).Span.Slice(e.States[h] * A, A));
            return total;
        }).ToArray();
        double mean = samples.Average();
        double se = Math.Sqrt(samples.Sum(x => (x - mean) * (x - mean)) / (samples.Length - 1) / samples.Length);
        Assert.True(se > 0);
        Assert.True(Math.Abs(exact - mean) <= 5 * se, $"exact {exact}, Monte Carlo {mean} +- {se}");
    }

    internal static Policy RandomPolicy(Random random, int H, int S, int A)
    {
        var pi = new double[H * S * A];
        for (int row = 0; row < H * S; row++)
        {
            double total = 0;
            for (int a = 0; a < A; a++) total += pi[row * A + a] = -Math.Log(1 - random.NextDouble());
            for (int a = 0; a < A; a++) pi[row * A + a] /= total;
        }
        return Policy.FromProbabilities(pi, H, S, A);
    }
}
