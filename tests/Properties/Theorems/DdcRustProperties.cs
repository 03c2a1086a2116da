using TabularRL.Kernels.Backends;
using TabularRL.Theory.Ddc;
using TabularRL.Theory.Experiments;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// DDC-RUST (THEORY.md sections 7 and 8; Rust 1987, Table IX): the NFXP estimates of group 4 reproduce the published
/// ones to 1e-3; (RC, theta11) refitted from panels simulated from the fitted model converge at the MLE's B^{-1/2} rate
/// with BHHH intervals that cover the truth; and Q(x,1) - Q(x,0) = log P(1|x) - log P(0|x).
/// </summary>
public sealed class DdcRustProperties
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Experiment_FixedSeeds_Holds(int seed)
    {
        using var backend = new ReferenceBackend();
        var report = new DdcRustExperiment().Run(new ExperimentSettings(seed, false, backend));
        Assert.True(report.Passed, $"{report.Observed} ({report.Detail})");
        Assert.Equal(5, report.Points.Count);
        // More buses, smaller error: the largest panel (16x group 4) must beat the smallest.
        Assert.True(report.Points[^1].Mean < report.Points[0].Mean, string.Join(", ", report.Points.Select(p => $"{p.X}: {p.Mean}")));
    }

    [Fact]
    public void Experiment_SameSeed_SameReport()
    {
        using var backend = new ReferenceBackend();
        var first = new DdcRustExperiment().Run(new ExperimentSettings(5, false, backend));
        var second = new DdcRustExperiment().Run(new ExperimentSettings(5, false, backend));
        Assert.Equal(first.Points.Select(p => p.Mean), second.Points.Select(p => p.Mean));
    }
}
