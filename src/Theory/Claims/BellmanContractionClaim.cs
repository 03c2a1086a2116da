using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;

namespace TabularRL.Theory.Claims;

/// <summary>
/// BELLMAN-CONTRACTION: value iteration's certified bound covers its distance to V* (policy iteration's exact values), and
/// VI, MPI and LP agree with PI on V* within their bounds and pick actions that are optimal under PI's Q.
/// </summary>
public sealed class BellmanContractionClaim : IClaim
{
    /// <inheritdoc/>
    public string Id => "BELLMAN-CONTRACTION";

    /// <inheritdoc/>
    public string Source => "Puterman 1994, sections 6.2-6.9";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var ratio = new WorstCase();
        var actionGap = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.ModelWithRewards();
            double scale = Objectives.ValueScale(mdp);
            var exact = PolicyIteration.Solve(mdp, new PolicyIterationOptions(), instances.Backend);
            var tolerance = 1e-9 * scale;
            SolveResult[] others =
            [
                ValueIteration.Solve(mdp, new SolverOptions { Tolerance = tolerance }, instances.Backend),
                ModifiedPolicyIteration.Solve(mdp, new ModifiedPolicyIterationOptions { Tolerance = tolerance }, instances.Backend),
                LinearProgramming.Solve(mdp, instances.Backend),
            ];
            // Rounding in V* and in the methods' own values: a few ulps of the value scale.
            double slack = 1e-12 * scale + exact.ErrorBound;
            string label = InstanceLabel.Of(i, mdp);
            foreach (var result in others)
            {
                double error = 0;
                for (int s = 0; s < mdp.StateCount; s++) error = Math.Max(error, Math.Abs(result.Values[s] - exact.Values[s]));
                ratio.Observe(error / (result.ErrorBound + slack), $"{label}, {result.Method}");
                // The method's greedy action loses at most 2 gamma (its bound + PI's) under PI's Q.
                int A = mdp.ActionCount;
                for (int s = 0; s < mdp.StateCount; s++)
                {
                    double best = double.NegativeInfinity;
                    for (int a = 0; a < A; a++) best = Math.Max(best, exact.QValues[s * A + a]);
                    double loss = best - exact.QValues[s * A + result.Actions[s]];
                    actionGap.Observe(loss / (2 * mdp.Discount * (result.ErrorBound + slack) + 1e-12 * scale), $"{label}, {result.Method}");
                }
            }
        }
        bool passed = ratio.Value <= 1 && actionGap.Value <= 1;
        return new ClaimResult(Id, Source, count, $"|V - V*| / bound at most {ratio}; greedy loss / allowance at most {actionGap} (vi, mpi, lp against pi)",
            "both <= 1", passed, ratio.Value >= actionGap.Value ? ratio.Instance : actionGap.Instance);
    }
}
