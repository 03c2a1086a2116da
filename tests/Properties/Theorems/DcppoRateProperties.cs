using FsCheck.Fluent;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using TabularRL.Tests.Linear;
using TabularRL.Theory.Data;
using TabularRL.Theory.Dcppo;
using TabularRL.Theory.Experiments;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// DCPPO-RATE (THEORY.md sections 5 and 8; Li, Yang and Wang 2023, arXiv 2305.18438): with episodes of a dynamic
/// discrete choice human that cover the optimal policy, the suboptimality V*(mu0) - V^pi(mu0) of DCPPO's policy decays
/// like n^{-1/2}. Checked as the acceptance criterion: the log-log slope of the mean suboptimality over
/// n = 50..1600 on random linear MDPs lies in [-0.8, -0.3] (<see cref="DcppoRateExperiment"/>).
/// </summary>
public sealed class DcppoRateProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(20261121)]
    public void Experiment_DefaultSize_SlopeWithinClaimedBand(int seed)
    {
        var report = new DcppoRateExperiment().Run(new ExperimentSettings(seed, Full: false, Backend));
        Assert.NotNull(report.Fit);
        Assert.True(report.Passed, $"seed {seed}: {report.Observed}; expected {report.Expected}; {report.Detail}");
        Assert.InRange(report.Fit!.Slope, -0.8, -0.3);
        Assert.True(report.Points[^1].Mean < report.Points[0].Mean, "suboptimality did not fall from the smallest n to the largest");
    }

    [Fact]
    public void Suboptimality_DcppoPolicies_NonNegativeAndZeroForTheExpert()
    {
        PropertyCheck.Run(LinearCase.Gen().ToArbitrary(), c =>
        {
            var linear = c.Build();
            var tabular = linear.ToTabular();
            var score = new Suboptimality(tabular, Backend);
            var expert = TabularRL.Engine.Model.Policy.FromActions(score.OptimalActions.ToArray(), c.Horizon, c.StateCount, c.ActionCount);
            Assert.True(Math.Abs(score.Of(expert)) <= 1e-12 * (c.Horizon + 1), $"expert suboptimality {score.Of(expert)}");
            var random = new Random(c.Seed);
            var episodes = TrajectorySampler.Sample(tabular, DynamicChoiceModel.Solve(linear).Policy, 30, random);
            var problem = DcppoProblem.For(linear);
            foreach (double beta in new[] { 0.0, 1.0 })
            {
                var result = Theory.Dcppo.Dcppo.Run(problem, episodes, new DcppoOptions { Beta = beta });
                double gap = score.Of(result.Plan.ToPolicy());
                Assert.True(gap >= -1e-12 * (c.Horizon + 1), $"beta {beta}: suboptimality {gap} < 0");
                foreach (double q in result.Plan.QHSA) Assert.InRange(q, 0, problem.MaxValueFrom(0));
            }
        }, PropertyCheck.SolverCases);
    }
}
