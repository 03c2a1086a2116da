using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Metrics;

/// <summary>A pseudometric on the rewards of one model.</summary>
public interface IRewardMetric
{
    /// <summary>A short name for tables and messages.</summary>
    string Name { get; }

    /// <summary>d(R1, R2).</summary>
    double Distance(TransitionReward first, TransitionReward second);
}
