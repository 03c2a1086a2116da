using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Theory.Behaviour;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Misspecification;

/// <summary>
/// A wrong temperature is harmless (THEORY.md section 4): the reward inferred from b_beta2(R) with the assumed beta1 is
/// (beta2 / beta1) R modulo N, so its STARC error is 0.
/// </summary>
public static class TemperatureMisspecification
{
    /// <summary>Infers with <paramref name="assumedBeta"/> from Boltzmann behaviour with <paramref name="trueBeta"/> on <paramref name="mdp"/>.</summary>
    /// <exception cref="ArgumentException">exp(beta Q*) underflowed to a zero probability: the behaviour has no full-support inversion.</exception>
    public static MisspecificationResult Analyse(Mdp mdp, TransitionReward truth, double trueBeta, double assumedBeta, IBellmanBackend backend)
    {
        var observed = new BoltzmannBehaviour(mdp, trueBeta, backend).Act(truth);
        var assumed = new BoltzmannBehaviour(mdp, assumedBeta, backend);
        var inferred = assumed.Invert(observed);
        return StarcError.Measure(mdp, truth, inferred, observed, assumed.Act(inferred), backend);
    }
}
