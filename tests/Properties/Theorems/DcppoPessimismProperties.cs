using FsCheck;
using FsCheck.Fluent;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using TabularRL.Theory.Data;
using TabularRL.Theory.Dcppo;
using TabularRL.Theory.Experiments;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// DCPPO-PESSIMISM (THEORY.md sections 5 and 8; Li, Yang and Wang 2023; Jin, Yang and Wang 2021): when the data miss
/// actions, pessimism helps. On linear MDPs where the human never takes an action whose feature leaves the covered
/// span (<see cref="UncoveredDirectionMdp"/>), DCPPO with beta = 1 has lower mean suboptimality than with beta = 0, with
/// the paired 95% bootstrap interval of the mean difference above 0 at every n (<see cref="DcppoPessimismExperiment"/>).
/// </summary>
public sealed class DcppoPessimismProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(20261121)]
    public void Experiment_DefaultSize_PessimismBeatsBetaZero(int seed)
    {
        var report = new DcppoPessimismExperiment().Run(new ExperimentSettings(seed, Full: false, Backend));
        Assert.True(report.Passed, $"seed {seed}: {report.Observed}; expected {report.Expected}; {report.Detail}");
        Assert.All(report.Points, p => Assert.True(p.Mean > 0, $"n = {p.X}: mean paired difference {p.Mean}"));
    }

    [Fact]
    public void Experiment_SameSeed_SameReport()
    {
        var first = new DcppoPessimismExperiment().Run(new ExperimentSettings(5, Full: false, Backend));
        var second = new DcppoPessimismExperiment().Run(new ExperimentSettings(5, Full: false, Backend));
        Assert.Equal(first.Points, second.Points);
        Assert.Equal(first.Observed, second.Observed);
    }

    [Fact]
    public void UncoveredDirection_AnyHumanData_NewActionNeverTakenAndItsWidthAtLeastRootHalfOverRidge()
    {
        var cases = (from seed in Gen.Choose(0, int.MaxValue - 1)
                     from n in Gen.Choose(0, 400)
                     from ridge in ModelGenerators.Uniform(0.1, 2)
                     select (Seed: seed, Episodes: n, Ridge: ridge)).ToArbitrary();
        PropertyCheck.Run(cases, c =>
        {
            var random = new Random(c.Seed);
            var linear = UncoveredDirectionMdp.Generate(random, 8, 3, 4, 3, 0.9, 3);
            var tabular = linear.ToTabular();
            var episodes = TrajectorySampler.Sample(tabular, DynamicChoiceModel.Solve(linear, 2).Policy, c.Episodes, random);
            foreach (var episode in episodes) Assert.DoesNotContain(2, episode.Actions.ToArray());
            var designs = Theory.Dcppo.Dcppo.Designs(DcppoProblem.For(linear, choiceSetSize: 2), episodes, c.Ridge);
            // phi = e_0 has component 1/sqrt(2) along e_0 - e_1, where Lambda_h has eigenvalue ridge whatever the data.
            double floor = Math.Sqrt(0.5 / c.Ridge);
            foreach (var design in designs)
                for (int s = 0; s < linear.StateCount; s++)
                    Assert.True(design.Width(s, 2) >= floor * (1 - 1e-12), $"s={s}: width {design.Width(s, 2)} < sqrt(1/(2 l)) = {floor}");
        }, PropertyCheck.SolverCases);
    }
}
