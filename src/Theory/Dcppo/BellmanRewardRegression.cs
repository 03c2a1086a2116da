using TabularRL.Engine.Solvers;

namespace TabularRL.Theory.Dcppo;

/// <summary>The normalised Q, V and the reward recovered by DCPPO step 2.</summary>
/// <param name="QHSA">[H*S*A] Q_h after normalisation.</param>
/// <param name="VHS">[(H+1)*S] V_h(s) = log sum_{a &lt; C} exp Q_h(s,a), V_H = 0.</param>
/// <param name="WeightsHD">[H*d] the reward weights w_h.</param>
/// <param name="RewardsHSA">[H*S*A] r_h(s,a) = phi(s,a)^T w_h.</param>
public sealed record RewardEstimate(double[] QHSA, double[] VHS, double[] WeightsHD, double[] RewardsHSA);

/// <summary>DCPPO step 2: the reward by Bellman least squares, after the normalisation that identifies Q.</summary>
/// <remarks>
/// THEORY.md section 5, step 2: w_h = Lambda_h^{-1} sum_i phi(s_h^i,a_h^i) (Q_h(s_h^i,a_h^i) - gamma V_{h+1}(s_{h+1}^i)).
/// Normalisation (see <see cref="DcppoProblem"/>), backwards from V_H = 0: with nu_h = Lambda_h^{-1} sum_i phi V_{h+1}(s_{h+1}^i)
/// the estimate of sum_s' mu_h(s') V_{h+1}(s'), the per-state shift is
/// c_h(s) = Qraw_h(s,a0) - r_h(s,a0) - gamma phi(s,a0)^T nu_h, and Q_h = Qraw_h - c_h(s), V_h = log-sum-exp over the choice
/// set. Since the regression is linear, w_h = Lambda_h^{-1} sum phi Q_h - gamma nu_h. With the true Q (shifted by any
/// per-state constant) and exactly realisable data this returns the true reward; the tests check it.
/// </remarks>
public static class BellmanRewardRegression
{
    /// <summary>Normalises <paramref name="rawQHSA"/> and recovers the reward.</summary>
    /// <param name="problem">The setting (features, H, gamma, choice set, a0 and r_h(., a0)).</param>
    /// <param name="designs">[H] Lambda_h with their samples.</param>
    /// <param name="rawQHSA">[H*S*A] Q_h from choices, known up to a per-state constant.</param>
    /// <exception cref="NumericalException">A value became NaN or infinite.</exception>
    public static RewardEstimate Recover(DcppoProblem problem, IReadOnlyList<RidgeDesign> designs, ReadOnlySpan<double> rawQHSA)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(designs);
        var phi = problem.Features;
        int S = phi.StateCount, A = phi.ActionCount, d = phi.Dimension, H = problem.Horizon, C = problem.ChoiceSetSize, a0 = problem.ReferenceAction;
        if (designs.Count != H) throw new ArgumentException($"{designs.Count} designs, expected H = {H}", nameof(designs));
        if (rawQHSA.Length != H * S * A) throw new ArgumentException($"Q has {rawQHSA.Length} values, expected H*S*A = {H * S * A}", nameof(rawQHSA));
        double gamma = problem.Discount;
        var q = new double[H * S * A];
        var v = new double[(H + 1) * S];
        var w = new double[H * d];
        var r = new double[H * S * A];
        for (int h = H - 1; h >= 0; h--)
        {
            var vNext = v.AsMemory((h + 1) * S, S);
            var nu = designs[h].Regress(x => vNext.Span[x.NextState]);
            for (int s = 0; s < S; s++)
            {
                int row = (h * S + s) * A;
                double shift = rawQHSA[row + a0] - problem.ReferenceRewardsHS[h * S + s] - gamma * phi.Dot(s, a0, nu);
                for (int a = 0; a < A; a++) q[row + a] = rawQHSA[row + a] - shift;
                double value = Behaviour.Softmax.LogSumExp(q.AsSpan(row, C));
                if (!double.IsFinite(value)) throw new NumericalException($"Bellman least squares: V_h(s) is {value} at stage h={h}, state s={s}");
                v[h * S + s] = value;
            }
            var qStage = q.AsMemory(h * S * A, S * A);
            var wQ = designs[h].Regress(x => qStage.Span[x.State * A + x.Action]);
            for (int k = 0; k < d; k++) w[h * d + k] = wQ[k] - gamma * nu[k];
            phi.Apply(w.AsSpan(h * d, d), r.AsSpan(h * S * A, S * A));
        }
        return new RewardEstimate(q, v, w, r);
    }
}
