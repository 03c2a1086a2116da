using TabularRL.Engine.Model;
using TabularRL.Theory.Behaviour;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Misspecification;

/// <summary>The worst case the search found: the two rewards, their distance, and whether it is within epsilon.</summary>
/// <param name="WorstDistance">The largest d(R1, R2) found with f(R1) = g(R2).</param>
/// <param name="Epsilon">The epsilon checked.</param>
/// <param name="Assumed">R1, a reward the assumed model f maps to the observed behaviour.</param>
/// <param name="Truth">R2, the reward the true model g acted on.</param>
/// <param name="PolicyGap">max |f(R1) - g(R2)| at the witness: how exactly R1 explains the behaviour.</param>
/// <param name="Samples">Rewards R2 drawn.</param>
public sealed record RobustnessResult(double WorstDistance, double Epsilon, TransitionReward Assumed, TransitionReward Truth, double PolicyGap, int Samples)
{
    /// <summary>Whether no pair beyond epsilon was found (the search can refute robustness, not prove it).</summary>
    public bool WithinEpsilon => WorstDistance <= Epsilon;
}

/// <summary>
/// Searches for a violation of epsilon-robustness of a behavioural model f to misspecification with g (THEORY.md
/// section 4, reconstructed there): pairs R1, R2 with f(R1) = g(R2) and d(R1, R2) &gt; epsilon.
/// </summary>
/// <remarks>
/// For each sampled true reward R2 the observed behaviour is g(R2), and R1 = f's inversion of it (so f(R1) = g(R2)
/// exactly); every R1 + t D with D in f's invariance class N_f (potential shaping under f's discount, S'-redistribution
/// under f's transitions) explains the behaviour equally well, which is the adversary's freedom. The search tries
/// random shaping and redistribution directions D and steps t in +-{0.1, 1, 10, 100} times the scale of R1, and keeps
/// the largest d(R1 + t D, R2). It is a search, not a proof: a result within epsilon means none was found. Models
/// that need full support to invert (Boltzmann, MCE) are what it is meant for; the optimal model's inversion only
/// exists for policies uniform on their support.
/// </remarks>
public static class EpsilonRobustness
{
    private static readonly double[] Steps = [0.1, 1, 10, 100, -0.1, -1, -10, -100];

    /// <summary>Runs the search.</summary>
    /// <param name="assumed">f, on the model the observer assumes.</param>
    /// <param name="assumedModel">f's model, whose discount and transitions define the invariances N_f.</param>
    /// <param name="truth">g, on the true model.</param>
    /// <param name="metric">d, a pseudometric on the true model's rewards (a STARC metric of the true model).</param>
    /// <param name="epsilon">The epsilon to check.</param>
    /// <param name="samples">Number of true rewards R2 to draw.</param>
    /// <param name="directions">Random invariance directions tried per sample.</param>
    /// <param name="seed">Seed of the draws.</param>
    public static RobustnessResult Search(IBehaviourModel assumed, Mdp assumedModel, IBehaviourModel truth, IRewardMetric metric,
        double epsilon, int samples, int directions = 4, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var random = new Random(seed);
        int S = assumedModel.StateCount, A = assumedModel.ActionCount;
        double worst = double.NegativeInfinity;
        TransitionReward? witnessAssumed = null, witnessTruth = null;
        for (int i = 0; i < samples; i++)
        {
            var r2 = TransitionReward.Create(S, A, (_, _, _) => StandardNormal.Draw(random));
            var observed = truth.Act(r2);
            var r1 = assumed.Invert(observed);
            double scale = Math.Max(1, r1.Values.ToArray().Max(Math.Abs));
            var candidates = new List<TransitionReward> { r1 };
            for (int k = 0; k < directions; k++)
            {
                var potential = Enumerable.Range(0, S).Select(_ => StandardNormal.Draw(random)).ToArray();
                var shaping = RewardTransformations.ShapingTerm(S, A, potential, assumedModel.Discount);
                var redistribution = RewardTransformations.RedistributionTerm(assumedModel, TransitionReward.Create(S, A, (_, _, _) => StandardNormal.Draw(random)));
                foreach (var direction in new[] { shaping, redistribution, shaping.Plus(redistribution) })
                {
                    double size = Math.Max(1e-300, direction.Values.ToArray().Max(Math.Abs));
                    foreach (double step in Steps)
                        candidates.Add(r1.Combine(direction, 1, step * scale / size));
                }
            }
            foreach (var candidate in candidates)
            {
                double d = metric.Distance(candidate, r2);
                if (d <= worst) continue;
                worst = d;
                witnessAssumed = candidate;
                witnessTruth = r2;
            }
        }
        double gap = Claims.PolicyGap.Of(assumed.Act(witnessAssumed!), truth.Act(witnessTruth!));
        return new RobustnessResult(worst, epsilon, witnessAssumed!, witnessTruth!, gap, samples);
    }
}
