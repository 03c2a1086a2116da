using FsCheck;
using FsCheck.Fluent;
using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Theory.Data;
using TabularRL.Theory.DemoReg;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.DemoReg;

/// <summary>The online algorithm: its certified gap bounds the true regularised gap; the cap and bad options are reported.</summary>
public sealed class OnlineDemoRegTests
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    [Fact]
    public void Run_RandomInstances_CertifiedGapBoundsTrueRegularisedGap()
    {
        // The certificate holds on the confidence event (probability >= 1 - delta = 0.9 for the upper side); on small
        // instances the bounds are conservative, so a violation on any of these cases is a defect to investigate.
        PropertyCheck.Run(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            int S = random.Next(2, 4), A = random.Next(2, 4), H = random.Next(2, 4);
            var mdp = DemoRegInstances.Model(random, S, A, H, 0.1);
            var clone = BehaviourCloning.Tabular(TrajectorySampler.Sample(mdp, DemoRegInstances.OptimalExpert(mdp, Backend), random.Next(1, 30), random), H, S, A);
            double lambda = new[] { 0.05, 0.3, 2 }[random.Next(3)];
            var result = OnlineDemoReg.Run(mdp, new OnlineDemoRegOptions { Lambda = lambda, Reference = clone, Target = 0.5, MaxEpisodes = 200_000 }, random);
            Assert.True(result.Stopped, $"seed {seed}: not stopped after {result.Episodes} episodes (gap {result.CertifiedGap})");
            double trueGap = Decomposition.RegularisedGap(mdp, clone, lambda, result.Policy, Backend);
            Assert.True(trueGap >= -1e-9, $"seed {seed}: negative regularised gap {trueGap}");
            Assert.True(trueGap <= result.CertifiedGap + 1e-9, $"seed {seed}: true regularised gap {trueGap} > certified {result.CertifiedGap}");
            Assert.True(result.CertifiedGap <= 0.5);
            var optimum = RegularisedPlanning.Solve(mdp, clone, lambda, Backend).RegularisedValue;
            Assert.True(result.Upper >= optimum - 1e-9, $"seed {seed}: upper bound {result.Upper} below J_lambda* {optimum}");
        }, 12);
    }

    [Fact]
    public void Run_TinyTargetAndCap_ReportsNotStoppedAtTheCap()
    {
        var random = new Random(2);
        var mdp = DemoRegInstances.Model(random, 3, 2, 3, 0.2);
        var result = OnlineDemoReg.Run(mdp, new OnlineDemoRegOptions { Lambda = 0.1, Reference = Policy.Uniform(3, 2), Target = 1e-6, MaxEpisodes = 50 }, random);
        Assert.False(result.Stopped);
        Assert.Equal(50, result.Episodes);
        Assert.True(result.CertifiedGap > 1e-6);
    }

    [Fact]
    public void Run_SameSeed_SameResult()
    {
        var mdp = DemoRegInstances.Model(new Random(4), 3, 2, 2, 0.2);
        var options = new OnlineDemoRegOptions { Lambda = 0.2, Reference = Policy.Uniform(3, 2), Target = 0.3 };
        var a = OnlineDemoReg.Run(mdp, options, new Random(9));
        var b = OnlineDemoReg.Run(mdp, options, new Random(9));
        Assert.Equal(a.Episodes, b.Episodes);
        Assert.Equal(a.CertifiedGap, b.CertifiedGap);
        Assert.True(a.Episodes > 0);
    }

    [Fact]
    public void Run_BadOptions_ThrowNamingTheOption()
    {
        var mdp = DemoRegInstances.Model(new Random(4), 2, 2, 2, 0.2);
        var reference = Policy.Uniform(2, 2);
        Assert.Contains("Lambda", Assert.Throws<ArgumentOutOfRangeException>(() => OnlineDemoReg.Run(mdp, new OnlineDemoRegOptions { Lambda = -1, Reference = reference, Target = 0.1 }, new Random(1))).Message);
        Assert.Contains("Target", Assert.Throws<ArgumentOutOfRangeException>(() => OnlineDemoReg.Run(mdp, new OnlineDemoRegOptions { Lambda = 1, Reference = reference, Target = 0 }, new Random(1))).Message);
        Assert.Contains("Delta", Assert.Throws<ArgumentOutOfRangeException>(() => OnlineDemoReg.Run(mdp, new OnlineDemoRegOptions { Lambda = 1, Reference = reference, Target = 0.1, Delta = 1 }, new Random(1))).Message);
        Assert.Throws<ModelValidationException>(() => OnlineDemoReg.Run(mdp, new OnlineDemoRegOptions { Lambda = 1, Reference = Policy.Uniform(3, 2), Target = 0.1 }, new Random(1)));
    }
}
