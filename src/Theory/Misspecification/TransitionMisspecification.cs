using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Theory.Behaviour;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Misspecification;

/// <summary>
/// Wrong transitions give a maximal error too (THEORY.md section 4): with D an S'-redistribution of 0 under the assumed
/// tau1 and R2(s,a,s') = -E_{tau2(s,a)} D(s,a,.), the reward R_hat = R_inv + k D is mapped by the assumed model to the
/// observed policy (D is in N for tau1), while under the true tau2 it is R_inv - k R2 modulo N, so its STARC distance
/// to R2 approaches 2.
/// </summary>
public static class TransitionMisspecification
{
    /// <summary>Runs the construction with Boltzmann behaviour of inverse temperature <paramref name="beta"/>.</summary>
    /// <param name="truthModel">The model with the true transitions tau2.</param>
    /// <param name="assumedModel">The same S, A and gamma with the assumed transitions tau1.</param>
    /// <param name="source">Any reward X; D = X - E_tau1 X.</param>
    /// <param name="beta">The Boltzmann model's inverse temperature.</param>
    /// <param name="backend">Where the solves run.</param>
    public static MisspecificationResult Analyse(Mdp truthModel, Mdp assumedModel, TransitionReward source, double beta, IBellmanBackend backend)
    {
        if (assumedModel.StateCount != truthModel.StateCount || assumedModel.ActionCount != truthModel.ActionCount || assumedModel.Discount != truthModel.Discount)
            throw new ArgumentException("the assumed model must differ from the true one in its transitions only");
        int S = truthModel.StateCount, A = truthModel.ActionCount;
        var d = RewardTransformations.RedistributionTerm(assumedModel, source);
        var expectedUnderTruth = d.Expected(truthModel);
        var truth = TransitionReward.FromStateAction(S, A, expectedUnderTruth.Select(x => -x).ToArray());
        var observed = new BoltzmannBehaviour(truthModel, beta, backend).Act(truth);
        var assumed = new BoltzmannBehaviour(assumedModel, beta, backend);
        var inferred = assumed.Invert(observed);
        double k = StarcError.Multiple(truthModel, inferred, d);
        var estimate = inferred.Plus(d.Times(k));
        return StarcError.Measure(truthModel, truth, estimate, observed, assumed.Act(estimate), backend);
    }
}
