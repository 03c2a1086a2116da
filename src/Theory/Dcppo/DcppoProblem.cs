using TabularRL.Theory.Linear;

namespace TabularRL.Theory.Dcppo;

/// <summary>What DCPPO is told: the features, horizon and discount, the human's choice set, and the normalisation that identifies Q.</summary>
/// <remarks>
/// Identification (THEORY.md section 5). Choices identify Q_h only up to a per-state constant: softmax_a(Q_h(s,.) + c_h(s))
/// = softmax_a Q_h(s,.). In a linear MDP there is always such a direction, since phi(s,a)^T sum_s' mu_h(s') = 1 for every
/// (s,a). A shift c_h changes the Bellman least-squares reward to r_h + c_h - gamma P_h c_{h+1}, a potential shaping
/// (finite horizon, c_H = 0), which moves every policy's value by c_0 and leaves the optimal policy unchanged; but the
/// pessimistic planner clips values to [0, sum_j gamma^j] and penalises in absolute units, so the shift must be
/// removed. The normalisation used here is the one of dynamic discrete choice econometrics: a reference action a0 whose
/// reward r_h(s, a0) is known at every stage and state (THEORY.md names Q_h(s,a0) = 0 as one example; a known reward is
/// the form that a linear MDP can meet, since phi(s,a0) = 0 would make P_h(.|s,a0) vanish). Given V_{h+1}, the Bellman
/// equation at a0, Q_h(s,a0) = r_h(s,a0) + gamma phi(s,a0)^T nu_h with nu_h the regression of V_{h+1}(s') on phi, pins
/// c_h(s) at every state; see <see cref="BellmanRewardRegression"/>. The paper's identification assumption (its
/// Assumption 3.2, which its public reviews liken to a known "safe" action) could not be read here beyond that
/// description; the known-reward action is the form implemented.
/// </remarks>
public sealed class DcppoProblem
{
    private readonly double[] _referenceRewardsHS;

    /// <summary>Validates the setting.</summary>
    /// <param name="features">phi, known.</param>
    /// <param name="horizon">H &gt;= 1.</param>
    /// <param name="discount">gamma in [0, 1].</param>
    /// <param name="choiceSetSize">C: the human chose among actions 0..C-1 (C = A for a human with every action).</param>
    /// <param name="referenceAction">a0 &lt; C, an action the human could take.</param>
    /// <param name="referenceRewardsHS">[H*S] the known r_h(s, a0).</param>
    /// <exception cref="ArgumentException">A size or index is out of range, or a reference reward is not finite.</exception>
    public DcppoProblem(FeatureMap features, int horizon, double discount, int choiceSetSize, int referenceAction, double[] referenceRewardsHS)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(referenceRewardsHS);
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "horizon must be >= 1");
        if (!(discount >= 0 && discount <= 1)) throw new ArgumentOutOfRangeException(nameof(discount), discount, "discount must lie in [0, 1]");
        if (choiceSetSize < 1 || choiceSetSize > features.ActionCount)
            throw new ArgumentOutOfRangeException(nameof(choiceSetSize), choiceSetSize, $"the human's choice set size must lie in [1, A = {features.ActionCount}]");
        if (referenceAction < 0 || referenceAction >= choiceSetSize)
            throw new ArgumentOutOfRangeException(nameof(referenceAction), referenceAction, $"the reference action must be one the human can choose, in [0, {choiceSetSize})");
        if (referenceRewardsHS.Length != horizon * features.StateCount)
            throw new ArgumentException($"reference rewards have {referenceRewardsHS.Length} values, expected H*S = {horizon}*{features.StateCount}", nameof(referenceRewardsHS));
        for (int i = 0; i < referenceRewardsHS.Length; i++)
            if (!double.IsFinite(referenceRewardsHS[i]))
                throw new ArgumentException($"reference reward r_h(s, a0) at (h={i / features.StateCount}, s={i % features.StateCount}) is {referenceRewardsHS[i]}", nameof(referenceRewardsHS));
        Features = features;
        Horizon = horizon;
        Discount = discount;
        ChoiceSetSize = choiceSetSize;
        ReferenceAction = referenceAction;
        _referenceRewardsHS = (double[])referenceRewardsHS.Clone();
    }

    /// <summary>The problem of learning <paramref name="truth"/> from a human with choice set size <paramref name="choiceSetSize"/>,
    /// with the true r_h(., a0) as the normalisation.</summary>
    public static DcppoProblem For(LinearMdp truth, int referenceAction = 0, int? choiceSetSize = null)
    {
        ArgumentNullException.ThrowIfNull(truth);
        int S = truth.StateCount, A = truth.ActionCount, H = truth.Horizon;
        if (referenceAction < 0 || referenceAction >= A) throw new ArgumentOutOfRangeException(nameof(referenceAction), referenceAction, $"must lie in [0, A = {A})");
        var reference = new double[H * S];
        for (int h = 0; h < H; h++)
            for (int s = 0; s < S; s++) reference[h * S + s] = truth.RewardsHSA[(h * S + s) * A + referenceAction];
        return new DcppoProblem(truth.Features, H, truth.Discount, choiceSetSize ?? A, referenceAction, reference);
    }

    /// <summary>phi.</summary>
    public FeatureMap Features { get; }

    /// <summary>H.</summary>
    public int Horizon { get; }

    /// <summary>gamma.</summary>
    public double Discount { get; }

    /// <summary>C.</summary>
    public int ChoiceSetSize { get; }

    /// <summary>a0.</summary>
    public int ReferenceAction { get; }

    /// <summary>[H*S] r_h(s, a0).</summary>
    public ReadOnlySpan<double> ReferenceRewardsHS => _referenceRewardsHS;

    /// <summary>sum_{j=0}^{H-h-1} gamma^j, the largest value from stage h on with rewards in [0, 1]: the upper end of the clipping range.</summary>
    public double MaxValueFrom(int h)
    {
        double total = 0, power = 1;
        for (int j = 0; j < Horizon - h; j++, power *= Discount) total += power;
        return total;
    }
}
