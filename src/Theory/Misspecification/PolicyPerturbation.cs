using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Theory.Behaviour;
using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Misspecification;

/// <summary>The policies and distance of the perturbation construction for one eta.</summary>
/// <param name="Eta">eta.</param>
/// <param name="PolicyGap">max |b(eta R) - b(-eta R)|.</param>
/// <param name="Bound">beta eta max|rbar| / (1 - gamma): the O(eta) bound the gap must respect.</param>
/// <param name="Distance">The L2 STARC distance (c_VAL) between eta R and -eta R: 2 unless c(R) = 0.</param>
public sealed record PerturbationResult(double Eta, double PolicyGap, double Bound, double Distance);

/// <summary>
/// Small policy perturbations can mean far rewards (THEORY.md section 4): b(eta R) and b(-eta R) differ by O(eta) while
/// their rewards are at STARC distance 2.
/// </summary>
/// <remarks>
/// The bound: Q*_{eta R} = eta Q*_R and Q*_{-eta R} = eta Q*_{-R}, each at most eta max|rbar| / (1 - gamma) in size,
/// and the softmax moves by at most half the sup-norm change of its (row-centred) arguments, so
/// |b(eta R) - b(-eta R)| &lt;= beta eta max|rbar| / (1 - gamma).
/// </remarks>
public static class PolicyPerturbation
{
    /// <summary>Measures the gap and the distance for <paramref name="eta"/>.</summary>
    public static PerturbationResult Analyse(Mdp mdp, TransitionReward reward, double beta, double eta, IBellmanBackend backend)
    {
        var model = new BoltzmannBehaviour(mdp, beta, backend);
        var up = reward.Times(eta);
        var down = reward.Times(-eta);
        double gap = Claims.PolicyGap.Of(model.Act(up), model.Act(down));
        double bound = beta * eta * reward.Expected(mdp).Max(Math.Abs) / (1 - mdp.Discount);
        double distance = new StarcMetric(new ValCanonicalisation(mdp, backend), RewardNorm.L2).Distance(up, down);
        return new PerturbationResult(eta, gap, bound, distance);
    }
}
