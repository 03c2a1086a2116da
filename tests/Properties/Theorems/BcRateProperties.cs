using FsCheck;
using FsCheck.Fluent;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Theory.Data;
using TabularRL.Theory.DemoReg;
using TabularRL.Theory.Experiments;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// BC-RATE (THEORY.md sections 6 and 8). The smoothed tabular clone pi_BC_h(a|s) = (N_h(s,a) + 1)/(N_h(s) + A) of a
/// deterministic expert has E KL_traj(pi_E || pi_BC) of order SAH/N_E (Tiapkin et al. 2023, arXiv 2310.17303, behaviour
/// cloning bound); the fitted log-log slope must lie in [-1.2, -0.8].
/// </summary>
public sealed class BcRateProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Experiment_DefaultSize_SlopeWithinBand(int seed)
    {
        var report = new BcRateExperiment().Run(new ExperimentSettings(seed, false, Backend));
        Assert.NotNull(report.Fit);
        Assert.True(report.Fit!.Slope >= -1.2 && report.Fit.Slope <= -0.8, $"seed {seed}: {report.Observed}");
        Assert.True(report.Passed, report.Observed);
        Assert.Equal(6, report.Points.Count);
    }

    [Fact]
    public void KlTraj_DeterministicExpert_EqualsClosedFormInCounts()
    {
        // For a deterministic expert KL(pi_E,h(s) || pi_BC,h(s)) = log((N_h(s) + A)/(N_h(s) + 1)): the expert's action has
        // N_h(s,a_E) = N_h(s). KL_traj is its d_h^E-weighted sum, computed here from an independent forward pass.
        PropertyCheck.Run(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            int S = random.Next(2, 6), A = random.Next(2, 5), H = random.Next(1, 5);
            var mdp = DemoRegInstances.Model(random, S, A, H, 0);
            var expert = DemoRegInstances.OptimalExpert(mdp, Backend);
            var demonstrations = TrajectorySampler.Sample(mdp, expert, random.Next(0, 40), random);
            var n = BehaviourCloning.Counts(demonstrations, H, S, A);
            var clone = BehaviourCloning.Tabular(demonstrations, H, S, A);
            var actions = TabularRL.Engine.Solvers.BackwardInduction.Solve(mdp, Backend).Actions;
            var d = mdp.InitialDistribution.ToArray();
            double expected = 0;
            for (int h = 0; h < H; h++)
            {
                var next = new double[S];
                for (int s = 0; s < S; s++)
                {
                    double visits = 0;
                    for (int a = 0; a < A; a++) visits += n[(h * S + s) * A + a];
                    expected += d[s] * Math.Log((visits + A) / (visits + 1));
                    var rows = mdp.TransitionsAt(h);
                    int row = s * A + actions[h * S + s];
                    for (long k = rows.RowPointers.Span[row]; k < rows.RowPointers.Span[row + 1]; k++)
                        next[rows.Columns.Span[(int)k]] += d[s] * rows.Values.Span[(int)k];
                }
                d = next;
            }
            Assert.Equal(expected, TrajectoryKl.Compute(mdp, expert, clone), 10);
        });
    }

    [Fact]
    public void KlTraj_MoreDemonstrationsOfTheSameStates_NeverIncreases()
    {
        // log((N + A)/(N + 1)) falls in N, so appending demonstrations can only lower the KL of a deterministic expert.
        PropertyCheck.Run(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            var mdp = DemoRegInstances.Model(random, 3, 3, 3, 0);
            var expert = DemoRegInstances.OptimalExpert(mdp, Backend);
            var first = TrajectorySampler.Sample(mdp, expert, random.Next(0, 10), random);
            var more = first.Concat(TrajectorySampler.Sample(mdp, expert, random.Next(1, 10), random)).ToArray();
            double before = TrajectoryKl.Compute(mdp, expert, BehaviourCloning.Tabular(first, 3, 3, 3));
            double after = TrajectoryKl.Compute(mdp, expert, BehaviourCloning.Tabular(more, 3, 3, 3));
            Assert.True(after <= before + 1e-12, $"seed {seed}: {before} -> {after}");
        });
    }
}
