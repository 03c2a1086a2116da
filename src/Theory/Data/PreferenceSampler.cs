using TabularRL.Engine.Model;

namespace TabularRL.Theory.Data;

/// <summary>Bradley-Terry preference data between pairs of episodes (THEORY.md section 6, RLHF variant).</summary>
/// <remarks>P(tau1 preferred to tau0) = sigma(r(tau1) - r(tau0)) with r(tau) = sum_h r_h(s_h, a_h), the model's expected rewards.</remarks>
public static class PreferenceSampler
{
    /// <summary><paramref name="count"/> pairs: tau1 under <paramref name="first"/>, tau0 under <paramref name="second"/>, labelled by Bradley-Terry on <paramref name="mdp"/>'s rewards.</summary>
    /// <param name="mdp">A finite-horizon model whose expected rewards are the true reward.</param>
    /// <param name="first">Policy of tau1.</param>
    /// <param name="second">Policy of tau0.</param>
    /// <param name="count">Number of pairs.</param>
    /// <param name="random">The generator.</param>
    public static Preference[] Sample(Mdp mdp, Policy first, Policy second, int count, Random random)
    {
        var ones = TrajectorySampler.Sample(mdp, first, count, random);
        var zeros = TrajectorySampler.Sample(mdp, second, count, random);
        var rewards = mdp.ExpectedRewards;
        var pairs = new Preference[count];
        for (int i = 0; i < count; i++)
        {
            double margin = ones[i].Return(rewards, mdp.StateCount, mdp.ActionCount) - zeros[i].Return(rewards, mdp.StateCount, mdp.ActionCount);
            pairs[i] = new Preference(ones[i], zeros[i], random.NextDouble() < Sigmoid(margin));
        }
        return pairs;
    }

    /// <summary>1 / (1 + e^-x), without overflow for large |x|.</summary>
    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
}
