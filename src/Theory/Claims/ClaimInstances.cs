using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Claims;

/// <summary>Random instances for the claims: small models with sparse transitions, rewards, potentials and policies.</summary>
/// <remarks>
/// Models have 2-8 states, 2-4 actions, gamma uniform in [0.5, 0.99], and 1..S possible next states per (s,a) with
/// weights uniform in [0.05, 1]; rewards R(s,a,s') are standard normal times 1 or 10 on every triple, impossible
/// transitions included. Deterministic for a seed, so that a failing row can be replayed.
/// </remarks>
public sealed class ClaimInstances(int seed, IBellmanBackend backend)
{
    private readonly Random _random = new(seed);

    /// <summary>Where the claims' solves run.</summary>
    public IBellmanBackend Backend { get; } = backend;

    /// <summary>The generator, for claims that draw their own numbers.</summary>
    public Random Random => _random;

    /// <summary>A model with S in [minStates, maxStates] and A in [2, maxActions].</summary>
    public Mdp Model(int minStates = 2, int maxStates = 8, int maxActions = 4, double? discount = null)
    {
        int S = _random.Next(minStates, maxStates + 1), A = _random.Next(2, maxActions + 1);
        return Model(S, A, discount ?? 0.5 + 0.49 * _random.NextDouble());
    }

    /// <summary>A model as <see cref="Model(int, int, int, double?)"/> whose own rewards are the expectation of a <see cref="Reward"/>.</summary>
    public Mdp ModelWithRewards(double? discount = null)
    {
        var shape = Model(discount: discount);
        return shape.WithExpectedRewards(Reward(shape).Expected(shape));
    }

    /// <summary>A model with the given sizes and discount.</summary>
    public Mdp Model(int stateCount, int actionCount, double discount)
        => Build(stateCount, actionCount, discount, Transitions(stateCount, actionCount));

    /// <summary>[S*A*S] dense transition rows with 1..S possible next states each.</summary>
    public double[] Transitions(int stateCount, int actionCount)
    {
        var dense = new double[stateCount * actionCount * stateCount];
        for (int row = 0; row < stateCount * actionCount; row++)
        {
            int count = _random.Next(1, stateCount + 1);
            var next = Enumerable.Range(0, stateCount).OrderBy(_ => _random.Next()).Take(count).ToArray();
            var weights = next.Select(_ => 0.05 + 0.95 * _random.NextDouble()).ToArray();
            double total = weights.Sum();
            for (int i = 0; i < count; i++) dense[row * stateCount + next[i]] = weights[i] / total;
        }
        return dense;
    }

    /// <summary>A model from dense transitions, with zero rewards (the claims bring their own) and a uniform mu0.</summary>
    public static Mdp Build(int stateCount, int actionCount, double discount, double[] transitions) => new MdpBuilder
    {
        StateCount = stateCount,
        ActionCount = actionCount,
        Discount = discount,
        DenseTransitions = transitions,
        DenseTransitionsShape = [stateCount, actionCount, stateCount],
        Rewards = new double[stateCount * actionCount],
        RewardsShape = [stateCount, actionCount],
    }.Build();

    /// <summary>R(s,a,s') standard normal times 1 or 10 on every triple.</summary>
    public TransitionReward Reward(Mdp mdp)
    {
        double scale = _random.Next(2) == 0 ? 1 : 10;
        return TransitionReward.Create(mdp.StateCount, mdp.ActionCount, (_, _, _) => scale * Normal());
    }

    /// <summary>A potential Phi(s), normal times 5.</summary>
    public double[] Potential(int stateCount) => Enumerable.Range(0, stateCount).Select(_ => 5 * Normal()).ToArray();

    /// <summary>A stochastic policy with rows uniform on the simplex (full support almost surely).</summary>
    public Policy Policy(int stateCount, int actionCount)
    {
        var p = new double[stateCount * actionCount];
        for (int s = 0; s < stateCount; s++)
        {
            double total = 0;
            for (int a = 0; a < actionCount; a++) total += p[s * actionCount + a] = -Math.Log(1 - _random.NextDouble());
            for (int a = 0; a < actionCount; a++) p[s * actionCount + a] /= total;
        }
        return Engine.Model.Policy.FromProbabilities(p, 1, stateCount, actionCount);
    }

    /// <summary>An S'-redistribution of 0 under <paramref name="mdp"/>, drawn from a normal reward.</summary>
    public TransitionReward Redistribution(Mdp mdp) => RewardTransformations.RedistributionTerm(mdp, Reward(mdp));

    /// <summary>A standard normal draw (Box-Muller).</summary>
    public double Normal() => StandardNormal.Draw(_random);
}
