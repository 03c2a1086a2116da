using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Theory.Behaviour;
using TabularRL.Theory.Claims;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Misspecification;

/// <summary>
/// A wrong discount gives a maximal error (THEORY.md section 4): with data from b_gamma2(R2), R2(s,a,s') = -Phi(s'),
/// the reward R_hat = R_inv + k (gamma1 Phi(s') - Phi(s)), k of the sign of gamma1 - gamma2, is mapped by b_gamma1 to
/// the same policy (the added term is shaping for gamma1), while under gamma2 it is R_inv + k (gamma1 - gamma2) Phi(s')
/// modulo N, so its STARC distance to R2 approaches 2 as |k| grows.
/// </summary>
public static class DiscountMisspecification
{
    /// <summary>Runs the construction with Boltzmann behaviour of inverse temperature <paramref name="beta"/>.</summary>
    /// <param name="truthModel">The model with the true discount gamma2.</param>
    /// <param name="assumedDiscount">gamma1 != gamma2, in [0, 1).</param>
    /// <param name="potential">Phi.</param>
    /// <param name="beta">The Boltzmann model's inverse temperature.</param>
    /// <param name="backend">Where the solves run.</param>
    public static MisspecificationResult Analyse(Mdp truthModel, double assumedDiscount, double[] potential, double beta, IBellmanBackend backend)
    {
        TheoryModels.RequireDiscounted(truthModel);
        if (assumedDiscount == truthModel.Discount)
            throw new ArgumentException("the assumed discount equals the true one: nothing is misspecified");
        int S = truthModel.StateCount, A = truthModel.ActionCount;
        var assumedModel = WithDiscount(truthModel, assumedDiscount);
        var truth = TransitionReward.Create(S, A, (_, _, next) => -potential[next]);
        var observed = new BoltzmannBehaviour(truthModel, beta, backend).Act(truth);
        var assumed = new BoltzmannBehaviour(assumedModel, beta, backend);
        var inferred = assumed.Invert(observed);
        var direction = TransitionReward.Create(S, A, (_, _, next) => potential[next]).Times(Math.Sign(assumedDiscount - truthModel.Discount));
        double k = StarcError.Multiple(truthModel, inferred, direction) / Math.Abs(assumedDiscount - truthModel.Discount) * Math.Sign(assumedDiscount - truthModel.Discount);
        var estimate = RewardTransformations.Shaped(inferred, potential.Select(x => k * x).ToArray(), assumedDiscount);
        return StarcError.Measure(truthModel, truth, estimate, observed, assumed.Act(estimate), backend);
    }

    /// <summary>The same transitions and initial distribution with another discount.</summary>
    public static Mdp WithDiscount(Mdp mdp, double discount) => new MdpBuilder
    {
        StateCount = mdp.StateCount,
        ActionCount = mdp.ActionCount,
        Discount = discount,
        TransitionRowPointers = mdp.RowPointers.ToArray(),
        TransitionColumns = mdp.Columns.ToArray(),
        TransitionProbabilities = mdp.Probabilities.ToArray(),
        Rewards = mdp.ExpectedRewards.ToArray(),
        RewardsShape = [mdp.StateCount, mdp.ActionCount],
        InitialDistribution = mdp.InitialDistribution.ToArray(),
    }.Build();
}
