using TabularRL.Engine.Solvers;

namespace TabularRL.Theory.Linear;

/// <summary>Exact planning in a linear MDP with known parameters: value iteration carried out in the d-dimensional weights.</summary>
/// <remarks>
/// THEORY.md section 5. With V_H = 0, Q_h(s,a) = r_h(s,a) + gamma sum_s' P_h(s'|s,a) V_{h+1}(s')
/// = phi(s,a)^T (w_h + gamma sum_s' mu_h(s') V_{h+1}(s')) =: phi(s,a)^T theta_h, and V_h(s) = max_a Q_h(s,a). This is
/// least-squares value iteration in the limit of exact regression targets: Q_h is linear in phi for every V_{h+1},
/// which is what makes the model "linear". It must agree with backward induction on <see cref="LinearMdp.ToTabular"/>.
/// </remarks>
public static class LinearValueIteration
{
    /// <summary>Q_h, V_h and greedy actions of <paramref name="mdp"/> (ties to the lowest action index within <see cref="Greedy.TieTolerance"/>).</summary>
    /// <exception cref="NumericalException">A value became NaN or infinite.</exception>
    public static LinearPlan Solve(LinearMdp mdp)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        int S = mdp.StateCount, A = mdp.ActionCount, d = mdp.Dimension, H = mdp.Horizon;
        var q = new double[H * S * A];
        var v = new double[(H + 1) * S];
        var actions = new int[H * S];
        var theta = new double[d];
        var mu = mdp.TransitionMeasures;
        for (int h = H - 1; h >= 0; h--)
        {
            var vNext = v.AsSpan((h + 1) * S, S);
            var w = mdp.RewardWeightsAt(h);
            for (int k = 0; k < d; k++)
            {
                double expected = 0;
                var muK = mu.Slice((h * d + k) * S, S);
                for (int next = 0; next < S; next++) expected += muK[next] * vNext[next];
                theta[k] = w[k] + mdp.Discount * expected;
            }
            var qSA = q.AsSpan(h * S * A, S * A);
            mdp.Features.Apply(theta, qSA);
            var vS = v.AsSpan(h * S, S);
            for (int s = 0; s < S; s++)
            {
                double max = double.NegativeInfinity;
                for (int a = 0; a < A; a++) max = Math.Max(max, qSA[s * A + a]);
                if (!double.IsFinite(max)) throw new NumericalException($"linear value iteration: V_h(s) is {max} at stage h={h}, state s={s}");
                vS[s] = max;
            }
            Greedy.Actions(qSA, A, actions.AsSpan(h * S, S));
        }
        return new LinearPlan(S, A, H, q, v, actions);
    }
}
