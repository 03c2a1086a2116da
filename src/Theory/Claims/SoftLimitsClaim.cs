using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;

namespace TabularRL.Theory.Claims;

/// <summary>
/// SOFT-LIMITS: 0 &lt;= V_soft - V* &lt;= alpha log A / (1 - gamma) for alpha in {1, 1e-2, 1e-4, 1e-8}, so soft VI tends to hard
/// VI; and KL-regularised VI towards the uniform policy is soft VI shifted by a constant.
/// </summary>
/// <remarks>
/// THEORY.md's V_KL = V_soft - lambda log A holds per backup; the fixed points of a discounted model then differ by
/// lambda log A / (1 - gamma) (the shift accumulates through gamma P V), which is what is checked.
/// </remarks>
public sealed class SoftLimitsClaim : IClaim
{
    /// <inheritdoc/>
    public string Id => "SOFT-LIMITS";

    /// <inheritdoc/>
    public string Source => "Haarnoja et al. 2017; Geist et al. 2019 (regularised MDPs)";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var outside = new WorstCase();
        var klError = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.ModelWithRewards();
            double scale = Objectives.ValueScale(mdp);
            double tolerance = 1e-11 * scale;
            var exact = PolicyIteration.Solve(mdp, new PolicyIterationOptions(), instances.Backend);
            string label = InstanceLabel.Of(i, mdp);
            foreach (double alpha in new[] { 1, 1e-2, 1e-4, 1e-8 })
            {
                var soft = SoftValueIteration.Solve(mdp, new SoftValueIterationOptions { Temperature = alpha, Tolerance = tolerance }, instances.Backend);
                double bound = alpha * Math.Log(mdp.ActionCount) / (1 - mdp.Discount);
                double slack = soft.ErrorBound + exact.ErrorBound + 1e-12 * scale;
                for (int s = 0; s < mdp.StateCount; s++)
                {
                    double gap = soft.Values[s] - exact.Values[s];
                    // How far outside [0, bound] the gap falls, in units of the slack (0 when inside).
                    outside.Observe(Math.Max(Math.Max(-gap, gap - bound), 0) / slack, $"{label}, alpha {alpha}");
                }
                if (alpha < 1e-2) continue;
                var kl = KlValueIteration.Solve(mdp, new KlValueIterationOptions
                {
                    Coefficient = alpha, Tolerance = tolerance, Reference = Policy.Uniform(mdp.StateCount, mdp.ActionCount),
                }, instances.Backend);
                for (int s = 0; s < mdp.StateCount; s++)
                    klError.Observe(Math.Abs(kl.Values[s] - (soft.Values[s] - alpha * Math.Log(mdp.ActionCount) / (1 - mdp.Discount)))
                        / (kl.ErrorBound + soft.ErrorBound + 1e-12 * scale),
                        $"{label}, lambda {alpha}");
            }
        }
        bool passed = outside.Value <= 1 && klError.Value <= 1;
        return new ClaimResult(Id, Source, count, $"gap outside [0, alpha log A/(1-gamma)] by at most {outside} of the solvers' bounds; |V_KL - (V_soft - lambda log A/(1-gamma))| at most {klError} of them",
            "both <= 1", passed, outside.Value >= klError.Value ? outside.Instance : klError.Instance);
    }
}
