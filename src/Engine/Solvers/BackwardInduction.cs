using TabularRL.Engine.Model;
using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers;

/// <summary>Exact finite-horizon dynamic programming: V_H = 0, Q_h = r_h + gamma P_h V_{h+1}, V_h = max_a Q_h.</summary>
/// <remarks>THEORY.md section 1. Exact up to rounding after H backups, so the error bound is 0.</remarks>
public static class BackwardInduction
{
    /// <summary>Solves an episodic <paramref name="mdp"/>; stage-dependent transitions and rewards are read per stage.</summary>
    /// <param name="mdp">A finite-horizon model.</param>
    /// <param name="backend">Where the backups run.</param>
    public static SolveResult Solve(Mdp mdp, IBellmanBackend backend)
    {
        int H = mdp.Horizon ?? throw new ArgumentException("backward induction needs a finite-horizon model", nameof(mdp));
        int S = mdp.StateCount, A = mdp.ActionCount;
        var values = new double[(H + 1) * S];
        var qValues = new double[H * S * A];
        var actions = new int[H * S];
        for (int h = H - 1; h >= 0; h--)
        {
            var vNext = values.AsMemory((h + 1) * S, S);
            var vOut = values.AsMemory(h * S, S);
            double change = backend.HardBackup(mdp.ProblemAt(h), vNext, qValues.AsMemory(h * S * A, S * A), vOut, Memory<int>.Empty);
            NumericalException.ThrowIfNonFinite(change, vOut.Span, "backward induction", H - h, h);
            Greedy.Actions(qValues.AsSpan(h * S * A, S * A), A, actions.AsSpan(h * S, S));
        }
        return new SolveResult("backward-induction", S, A, H, values[..(H * S)], qValues,
            Greedy.OneHot(actions, A), actions, H, 0, 0, true);
    }
}
