using TabularRL.Engine.Solvers;
using TabularRL.Theory.Linear;

namespace TabularRL.Theory.Dcppo;

/// <summary>DCPPO step 3: pessimistic value iteration on a reward, with the elliptical penalty and clipping of PEVI.</summary>
/// <remarks>
/// THEORY.md section 5, step 3, backwards from V_H = 0:
/// nu_h = Lambda_h^{-1} sum_i phi(s_h^i,a_h^i) V_{h+1}(s_{h+1}^i);
/// Q_h(s,a) = min(max(r_h(s,a) + gamma phi(s,a)^T nu_h - beta sqrt(phi(s,a)^T Lambda_h^{-1} phi(s,a)), 0), sum_{j=0}^{H-h-1} gamma^j);
/// pi_h(s) = argmax_a Q_h(s,a) (ties to the lowest index); V_h(s) = max_a Q_h(s,a).
/// The clipping range is the one of pessimistic value iteration (Jin, Yang and Wang 2021, which DCPPO's step 3 invokes):
/// [0, H - h + 1] with 1-indexed stages and rewards in [0, 1], written here for 0-indexed stages and a discount as
/// [0, sum_{j &lt; H-h} gamma^j], the range of true values. The full text of Li, Yang and Wang (2023) could not be
/// retrieved here; the three steps follow its abstract and THEORY.md. beta is a tuning constant: the theorem's value is of
/// order d H sqrt(log(dHn/delta)) times the e^H factor of the choice model, far larger than useful on small instances.
/// The planner covers every action of the features (A), not only the human's choice set.
/// </remarks>
public static class PessimisticValueIteration
{
    /// <summary>The pessimistic plan for <paramref name="rewardHSA"/>.</summary>
    /// <param name="problem">The setting (features, H, gamma).</param>
    /// <param name="designs">[H] Lambda_h with their samples.</param>
    /// <param name="rewardHSA">[H*S*A] the reward planned for (estimated, or the true one for the oracle).</param>
    /// <param name="beta">beta &gt;= 0; 0 is plain least-squares value iteration with clipping.</param>
    /// <exception cref="NumericalException">A value became NaN or infinite.</exception>
    public static LinearPlan Plan(DcppoProblem problem, IReadOnlyList<RidgeDesign> designs, ReadOnlySpan<double> rewardHSA, double beta)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(designs);
        if (!(beta >= 0) || double.IsInfinity(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be finite and >= 0");
        var phi = problem.Features;
        int S = phi.StateCount, A = phi.ActionCount, H = problem.Horizon;
        if (designs.Count != H) throw new ArgumentException($"{designs.Count} designs, expected H = {H}", nameof(designs));
        if (rewardHSA.Length != H * S * A) throw new ArgumentException($"reward has {rewardHSA.Length} values, expected H*S*A = {H * S * A}", nameof(rewardHSA));
        var q = new double[H * S * A];
        var v = new double[(H + 1) * S];
        var actions = new int[H * S];
        for (int h = H - 1; h >= 0; h--)
        {
            var vNext = v.AsMemory((h + 1) * S, S);
            var nu = designs[h].Regress(x => vNext.Span[x.NextState]);
            double ceiling = problem.MaxValueFrom(h);
            for (int s = 0; s < S; s++)
            {
                int row = (h * S + s) * A;
                double max = double.NegativeInfinity;
                for (int a = 0; a < A; a++)
                {
                    double penalty = beta == 0 ? 0 : beta * designs[h].Width(s, a);
                    double raw = rewardHSA[row + a] + problem.Discount * phi.Dot(s, a, nu) - penalty;
                    if (!double.IsFinite(raw)) throw new NumericalException($"pessimistic value iteration: Q_h(s,a) is {raw} at (h={h}, s={s}, a={a})");
                    q[row + a] = Math.Clamp(raw, 0, ceiling);
                    max = Math.Max(max, q[row + a]);
                }
                v[h * S + s] = max;
            }
            Greedy.Actions(q.AsSpan(h * S * A, S * A), A, actions.AsSpan(h * S, S));
        }
        return new LinearPlan(S, A, H, q, v, actions);
    }
}
