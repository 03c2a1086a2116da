using TabularRL.Engine.Model;

namespace TabularRL.Theory.Linear;

/// <summary>A finite-horizon plan on S states and A actions: Q_h, V_h and the greedy actions per stage.</summary>
/// <param name="StateCount">S.</param>
/// <param name="ActionCount">A.</param>
/// <param name="Horizon">H.</param>
/// <param name="QHSA">[H*S*A] Q_h(s,a).</param>
/// <param name="VHS">[(H+1)*S] V_h(s), with V_H = 0.</param>
/// <param name="ActionsHS">[H*S] greedy action per stage and state, ties to the lowest index.</param>
public sealed record LinearPlan(int StateCount, int ActionCount, int Horizon, double[] QHSA, double[] VHS, int[] ActionsHS)
{
    /// <summary>The deterministic per-stage policy of <see cref="ActionsHS"/>.</summary>
    public Policy ToPolicy() => Policy.FromActions(ActionsHS, Horizon, StateCount, ActionCount);
}
