using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Misspecification;

/// <summary>What a misspecification construction produced and what it measured.</summary>
/// <param name="Truth">The true reward.</param>
/// <param name="Inferred">The reward the misspecified model accepts for the observed behaviour.</param>
/// <param name="PolicyGap">max |pi_observed - f_assumed(Inferred)|: how exactly the inferred reward explains the data.</param>
/// <param name="ValDistance">L2 STARC distance of c_VAL (uniform policy) between Inferred and Truth, on the true model.</param>
/// <param name="MinDistance">L2 STARC distance of c_min between them, on the true model.</param>
public sealed record MisspecificationResult(TransitionReward Truth, TransitionReward Inferred, double PolicyGap, double ValDistance, double MinDistance);
