using TabularRL.Engine.Model;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Behaviour;

/// <summary>A behavioural model of IRL (THEORY.md section 4): the policy f(R) a demonstrator with reward R follows on one model.</summary>
public interface IBehaviourModel
{
    /// <summary>A short name for tables and messages.</summary>
    string Name { get; }

    /// <summary>f(R).</summary>
    Policy Act(TransitionReward reward);

    /// <summary>A reward R with f(R) = <paramref name="policy"/>.</summary>
    /// <exception cref="ArgumentException">No reward maps to the policy under this model (e.g. a zero where full support is needed).</exception>
    TransitionReward Invert(Policy policy);
}
