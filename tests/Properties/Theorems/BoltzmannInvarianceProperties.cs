using FsCheck;
using FsCheck.Fluent;
using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using TabularRL.Theory.Behaviour;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// BOLTZMANN-INVARIANCE (THEORY.md sections 4 and 8). The Boltzmann-rational model b(R) proportional to exp(beta Q*_R)
/// and the maximal causal entropy model give the same policy for R and R + shaping + S'-redistribution, but not for
/// R and 3R (no scale freedom); and the inversions of section 4 round-trip: b(R_inv(pi)) = pi for every full-support pi.
/// Sources: Skalse and Abate (2023), Misspecification in inverse reinforcement learning, Theorems 3.3-3.4 (the
/// Boltzmann and MCE models determine R up to N); Ng, Harada and Russell (1999) for shaping.
/// </summary>
/// <remarks>Policies are compared entry by entry to 1e-9; MCE's soft value iteration is run to 1e-12 of the value scale.</remarks>
public sealed class BoltzmannInvarianceProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    private static IBehaviourModel[] Models(RewardCase c) =>
        [new BoltzmannBehaviour(c.Mdp, 0.7, Backend), new MaxCausalEntropyBehaviour(c.Mdp, 1.3, Backend)];

    private static double MaxDifference(Policy x, Policy y)
    {
        double max = 0;
        for (int i = 0; i < x.Probabilities.Length; i++) max = Math.Max(max, Math.Abs(x.Probabilities[i] - y.Probabilities[i]));
        return max;
    }

    // Full support, as the inversions need: the drawn policy mixed with the uniform one.
    private static Policy FullSupport(RewardCase c)
    {
        int A = c.Mdp.ActionCount;
        var p = c.Policy.Probabilities.ToArray().Select(x => 0.8 * x + 0.2 / A).ToArray();
        return Policy.FromProbabilities(p, 1, c.Mdp.StateCount, A);
    }

    [Fact]
    public void BehaviourModels_RewardPlusNTerm_GiveTheSamePolicy()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            foreach (var f in Models(c))
                Assert.True(MaxDifference(f.Act(c.Reward), f.Act(c.Reward.Plus(c.NullTerm))) <= 1e-9, $"{f.Name}: b(R) != b(R + N-term)");
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void BehaviourModels_FullSupportPolicy_InversionRoundTrips()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), shaping =>
        {
            var c = new RewardCase(shaping);
            var pi = FullSupport(c);
            foreach (var f in Models(c))
                Assert.True(MaxDifference(f.Act(f.Invert(pi)), pi) <= 1e-9, $"{f.Name}: b(R_inv(pi)) != pi");
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void BehaviourModels_ScaledReward_GiveAnotherPolicy()
    {
        // b(3R) = b(R) only where Q*_R is constant over actions in every state; over 100 drawn models with two or more
        // actions both models must tell 3R from R on some of them.
        var cases = ModelGenerators.Shaping().Generator.Where(s => s.Model.ActionCount >= 2).Sample(100, 10);
        double boltzmann = 0, mce = 0;
        foreach (var shaping in cases)
        {
            var c = new RewardCase(shaping);
            var models = Models(c);
            boltzmann = Math.Max(boltzmann, MaxDifference(models[0].Act(c.Reward), models[0].Act(c.Reward.Times(3))));
            mce = Math.Max(mce, MaxDifference(models[1].Act(c.Reward), models[1].Act(c.Reward.Times(3))));
        }
        Assert.True(boltzmann > 0.1, $"Boltzmann: b(3R) within {boltzmann} of b(R) on every draw");
        Assert.True(mce > 0.1, $"MCE: b(3R) within {mce} of b(R) on every draw");
    }
}
