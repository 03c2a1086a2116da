using TabularRL.Engine.Model;
using TabularRL.Engine.Native;

namespace TabularRL.Engine.Solvers;

/// <summary>
/// The flow constraints of discounted occupancy measures (THEORY.md section 1): eta &gt;= 0 with
/// sum_a eta(s,a) - gamma sum_{s0,a0} tau(s|s0,a0) eta(s0,a0) = w(s) for every state s. With w = mu0 its points are
/// exactly the occupancies of the (stochastic) policies.
/// </summary>
public static class OccupancyPolytope
{
    /// <summary>Adds the S flow rows for the S*A columns starting at <paramref name="offset"/> (eta(s,a) at offset + s*A + a).</summary>
    /// <param name="lp">The program, whose columns offset .. offset + S*A - 1 already exist.</param>
    /// <param name="mdp">An infinite-horizon model.</param>
    /// <param name="offset">Index of eta(0,0).</param>
    /// <param name="rightHandSide">[S] w.</param>
    public static void AddFlowRows(LinearProgram lp, Mdp mdp, int offset, ReadOnlySpan<double> rightHandSide)
    {
        int S = mdp.StateCount, A = mdp.ActionCount;
        var rows = new Dictionary<int, double>[S];
        for (int s = 0; s < S; s++)
        {
            rows[s] = [];
            for (int a = 0; a < A; a++) rows[s][offset + s * A + a] = 1;
        }
        for (int row = 0; row < S * A; row++)
            for (long k = mdp.RowPointers[row]; k < mdp.RowPointers[row + 1]; k++)
            {
                var target = rows[mdp.Columns[(int)k]];
                target[offset + row] = target.GetValueOrDefault(offset + row) - mdp.Discount * mdp.Probabilities[(int)k];
            }
        for (int s = 0; s < S; s++)
            lp.AddRow(rightHandSide[s], rightHandSide[s], rows[s].Select(e => (e.Key, e.Value)));
    }
}
