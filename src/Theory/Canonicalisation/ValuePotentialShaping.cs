using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Canonicalisation;

/// <summary>
/// R(s,a,s') - V^pi_R(s) + gamma V^pi_R(s'): c_VAL without the expectation over the next state (THEORY.md section 3).
/// Not a canonicalisation: it removes potential shaping but changes under S'-redistribution, so two rewards that order
/// all policies the same can map to different results. Kept only to demonstrate that failure (claim CANON).
/// </summary>
public sealed class ValuePotentialShaping : ICanonicalisation
{
    private readonly FixedPolicyValues _values;

    /// <summary>The map on <paramref name="mdp"/> for <paramref name="policy"/> (null: uniform).</summary>
    public ValuePotentialShaping(Mdp mdp, IBellmanBackend backend, Policy? policy = null) => _values = new FixedPolicyValues(mdp, backend, policy);

    /// <inheritdoc/>
    public string Name => "value-potential";

    /// <inheritdoc/>
    public TransitionReward Apply(TransitionReward reward)
        => RewardTransformations.Shaped(reward, _values.Of(reward).Values, _values.Discount);
}
