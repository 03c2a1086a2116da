using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Canonicalisation;

/// <summary>
/// Value-adjusted levelling (STARC, THEORY.md section 3): c_VAL(R)(s,a,s') = E_{s''~tau(s,a)}[R(s,a,s'') - V^pi_R(s)
/// + gamma V^pi_R(s'')] = A^pi_R(s,a), the same for every s', for a fixed policy pi (uniform by default).
/// </summary>
/// <remarks>
/// The form implemented is the one with the expectation over the next state, which is what makes it a
/// canonicalisation: S'-redistribution leaves rbar, hence V^pi and A^pi, unchanged. V^pi is evaluated exactly
/// (dense LU up to 256 states). <see cref="ValuePotentialShaping"/> is the variant without the expectation.
/// </remarks>
public sealed class ValCanonicalisation : ICanonicalisation
{
    private readonly FixedPolicyValues _values;

    /// <summary>c_VAL on <paramref name="mdp"/> for <paramref name="policy"/> (null: uniform).</summary>
    public ValCanonicalisation(Mdp mdp, IBellmanBackend backend, Policy? policy = null) => _values = new FixedPolicyValues(mdp, backend, policy);

    /// <inheritdoc/>
    public string Name => "val";

    /// <inheritdoc/>
    public TransitionReward Apply(TransitionReward reward)
        => TransitionReward.FromStateAction(reward.StateCount, reward.ActionCount, _values.Of(reward).Advantages);
}
