using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Theory.Data;
using TabularRL.Theory.DemoReg;
using TabularRL.Theory.Experiments;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// DEMOREG-RATE (THEORY.md sections 6 and 8). With lambda ~ eps / (KL bound), the episodes the online KL-regularised
/// algorithm needs to certify eps fall as N_E grows (the paper's order is 1/(eps^2 N_E); Tiapkin et al. 2023, arXiv
/// 2310.17303). Criterion: fitted log-log slope &lt; 0 with the upper end of its 95% bootstrap interval &lt; 0, no run capped.
/// </summary>
public sealed class DemoregRateProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Experiment_DefaultSize_EpisodesFallWithDemonstrations(int seed)
    {
        var report = new RateExperiment().Run(new ExperimentSettings(seed, false, Backend));
        Assert.NotNull(report.Fit);
        Assert.True(report.Fit!.Slope < 0 && report.Fit.Upper < 0, $"seed {seed}: {report.Observed}");
        Assert.True(report.Passed, $"{report.Observed}; {report.Detail}");
        Assert.Contains("violated in 0", report.Detail);
    }

    [Fact]
    public void OnlineResult_WithinEpsilon_WhenKlBelowTheBound()
    {
        // The end-to-end guarantee: with lambda = eps/(2B) and a certified eps_RL = eps/2, V* - V^{pi_hat} <= eps
        // whenever KL_traj(pi_E || pi_BC) <= B (deterministic optimal expert, so eps_E = 0).
        const int S = 3, A = 3, H = 3;
        const double eps = 0.6;
        var random = new Random(31);
        for (int trial = 0; trial < 4; trial++)
        {
            var mdp = DemoRegInstances.Model(random, S, A, H, 0.2);
            var expert = DemoRegInstances.OptimalExpert(mdp, Backend);
            int n = 8 << trial;
            var clone = BehaviourCloning.Tabular(TrajectorySampler.Sample(mdp, expert, n, random), H, S, A);
            double bound = (double)H * S * A / n, lambda = eps / (2 * bound);
            var result = OnlineDemoReg.Run(mdp, new OnlineDemoRegOptions { Lambda = lambda, Reference = clone, Target = eps / 2 }, random);
            var terms = Decomposition.ForPolicy(mdp, expert, clone, lambda, result.CertifiedGap, result.Policy, Backend);
            Assert.True(terms.ExpertKl <= bound, $"N_E={n}: KL_traj {terms.ExpertKl} above the bound {bound}");
            Assert.True(terms.Suboptimality <= eps, $"N_E={n}: V*-V^pi = {terms.Suboptimality} > eps");
            Assert.True(terms.Slack >= -1e-9, $"N_E={n}: decomposition violated, slack {terms.Slack}");
        }
    }
}
