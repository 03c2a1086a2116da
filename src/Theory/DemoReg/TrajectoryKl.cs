using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;

namespace TabularRL.Theory.DemoReg;

/// <summary>The trajectory KL divergence KL_traj(p || q) = E_p sum_h gamma^h KL(p_h(s_h) || q_h(s_h)) (THEORY.md section 6).</summary>
/// <remarks>
/// Both policies act in the same model, so the KL of their trajectory laws is the expected sum of per-stage action
/// KLs under p's state distributions (the transition factors cancel). It is computed exactly from p's stage occupancies
/// gamma^h Pr(s_h = s) (the engine's forward recursion, <see cref="OccupancyMeasure"/>), not by sampling. The weight gamma^h matches what the finite-horizon KL value
/// iteration of the engine regularises: its backup Q_h = r_h + gamma P_h V_{h+1} discounts the KL term of stage h by
/// gamma^h exactly as it discounts r_h, so with gamma = 1 (the paper's episodic setting) this is the plain sum.
/// </remarks>
public static class TrajectoryKl
{
    /// <summary>KL_traj(<paramref name="p"/> || <paramref name="q"/>) on <paramref name="mdp"/>; +infinity when p puts mass
    /// on an action that q excludes at a state p reaches.</summary>
    /// <param name="mdp">A finite-horizon model.</param>
    /// <param name="p">The policy whose trajectories are averaged over (the expert in the decomposition).</param>
    /// <param name="q">The reference (behaviour cloning).</param>
    public static double Compute(Mdp mdp, Policy p, Policy q)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        int H = mdp.Horizon ?? throw new ArgumentException("the trajectory KL needs a finite-horizon model (set Horizon)", nameof(mdp));
        p.CheckFits(mdp, nameof(p));
        q.CheckFits(mdp, nameof(q));
        int S = mdp.StateCount, A = mdp.ActionCount;
        // gamma^h Pr_p(s_h = s): the engine's finite-horizon occupancy carries the stage weight itself.
        var dHS = OccupancyMeasure.StageStateOccupancy(mdp, p);
        double total = 0;
        for (int h = 0; h < H; h++)
        {
            var ps = p.At(h).Span;
            var qs = q.At(h).Span;
            for (int s = 0; s < S; s++)
            {
                if (dHS[h * S + s] == 0) continue;
                total += dHS[h * S + s] * Kl(ps.Slice(s * A, A), qs.Slice(s * A, A));
            }
        }
        return total;
    }

    /// <summary>KL(p || q) = sum_a p(a) log(p(a)/q(a)) with 0 log 0 = 0 and +infinity where q = 0 &lt; p.</summary>
    public static double Kl(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length) throw new ArgumentException($"distributions of {p.Length} and {q.Length} actions", nameof(q));
        double kl = 0;
        for (int a = 0; a < p.Length; a++)
        {
            if (p[a] == 0) continue;
            if (q[a] == 0) return double.PositiveInfinity;
            kl += p[a] * Math.Log(p[a] / q[a]);
        }
        // Rounding can leave a tiny negative sum for p ~ q; KL is non-negative.
        return Math.Max(kl, 0);
    }
}
