using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers.Linear;
using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers;

/// <summary>Discounted state and state-action occupancy of a policy, with a certified l1 error bound.</summary>
public sealed class OccupancyResult
{
    private readonly double[] _stateOccupancy;
    private readonly double[] _stateActionOccupancy;

    internal OccupancyResult(int? horizon, double[] stateOccupancy, double[] stateActionOccupancy, double errorBound)
    {
        Horizon = horizon;
        _stateOccupancy = stateOccupancy;
        _stateActionOccupancy = stateActionOccupancy;
        ErrorBound = errorBound;
    }

    /// <summary>H for finite horizon, null otherwise.</summary>
    public int? Horizon { get; }

    /// <summary>H for finite horizon, 1 otherwise: the length of the leading axis of the arrays.</summary>
    public int StageCount => Horizon ?? 1;

    /// <summary>[StageCount*S] d(s) (finite horizon: gamma^h Pr(s_h = s)).</summary>
    public ReadOnlySpan<double> StateOccupancy => _stateOccupancy;

    /// <summary>[StageCount*S*A] eta(s,a) = d(s) pi(a|s).</summary>
    public ReadOnlySpan<double> StateActionOccupancy => _stateActionOccupancy;

    /// <summary>Certified l1 bound on the error of <see cref="StateOccupancy"/> (0 for the forward recursion).</summary>
    public double ErrorBound { get; }
}

/// <summary>Occupancy measures (THEORY.md section 1): d^pi = mu0^T (I - gamma P_pi)^{-1}, eta(s,a) = d(s) pi(a|s).</summary>
/// <remarks>
/// The discounted occupancy sums to 1/(1-gamma) and J_R(pi) = &lt;eta, rbar&gt;. For a finite horizon the stage-h
/// occupancy is gamma^h Pr(s_h = s, a_h = a), so that J = sum_h &lt;eta_h, r_h&gt; holds there too; with gamma = 1 each
/// stage is a probability distribution.
/// </remarks>
public static class OccupancyMeasure
{
    /// <summary>Computes the occupancy of <paramref name="policy"/> from the model's initial distribution.</summary>
    /// <param name="mdp">The model.</param>
    /// <param name="policy">A policy with the model's S and A, and 1 or H stages.</param>
    /// <param name="backend">Where the products run.</param>
    /// <param name="directMaxStates">Dense LU up to this many states, Krylov above.</param>
    public static OccupancyResult Compute(Mdp mdp, Policy policy, IBellmanBackend backend, int directMaxStates = 256)
    {
        policy.CheckFits(mdp);
        int S = mdp.StateCount, A = mdp.ActionCount;
        if (!mdp.IsFiniteHorizon)
        {
            var (matrix, _) = PolicyMatrix.Build(mdp.ProblemAt(0), policy.At(0).Span);
            var transposed = PolicyMatrix.Transpose(matrix);
            var solution = new PolicySystem(S).Solve(new MatrixOperator(backend, transposed), mdp.Discount, mdp.InitialDistribution.ToArray(), [], directMaxStates, l1: true);
            // Round-off can leave entries of unreachable states at -1e-18; occupancies are non-negative by definition.
            var d = solution.X;
            for (int s = 0; s < S; s++) d[s] = Math.Max(0, d[s]);
            return new OccupancyResult(null, d, StateAction(d, policy.At(0).Span, A), solution.Residual / (1 - mdp.Discount));
        }

        int H = mdp.StageCount;
        var states = StageStateOccupancy(mdp, policy);
        var stateActions = new double[H * S * A];
        for (int h = 0; h < H; h++)
            StateAction(states.AsSpan(h * S, S), policy.At(h).Span, A).CopyTo(stateActions.AsSpan(h * S * A));
        return new OccupancyResult(H, states, stateActions, 0);
    }

    /// <summary>[H*S] gamma^h Pr(s_h = s) of a finite-horizon model, by the forward recursion from mu0.</summary>
    /// <remarks>d_{h+1}(s') = gamma sum_{s,a} d_h(s) pi_h(a|s) P_h(s'|s,a): a scatter along the CSR rows; exact, no backend needed.</remarks>
    internal static double[] StageStateOccupancy(Mdp mdp, Policy policy)
    {
        int S = mdp.StateCount, A = mdp.ActionCount, H = mdp.StageCount;
        var states = new double[H * S];
        mdp.InitialDistribution.CopyTo(states);
        for (int h = 0; h + 1 < H; h++)
        {
            var d = states.AsSpan(h * S, S);
            var pi = policy.At(h).Span;
            var next = states.AsSpan((h + 1) * S, S);
            var transitions = mdp.TransitionsAt(h);
            var rowPointers = transitions.RowPointers.Span;
            var columns = transitions.Columns.Span;
            var probabilities = transitions.Values.Span;
            for (int row = 0; row < S * A; row++)
            {
                double mass = mdp.Discount * d[row / A] * pi[row];
                if (mass == 0) continue;
                for (long k = rowPointers[row]; k < rowPointers[row + 1]; k++)
                    next[columns[(int)k]] += mass * probabilities[(int)k];
            }
        }
        return states;
    }

    private static double[] StateAction(ReadOnlySpan<double> d, ReadOnlySpan<double> pi, int A)
    {
        var eta = new double[d.Length * A];
        for (int i = 0; i < eta.Length; i++)
            eta[i] = d[i / A] * pi[i];
        return eta;
    }
}
