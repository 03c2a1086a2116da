using FsCheck;
using FsCheck.Fluent;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// SOFT-LIMITS (THEORY.md sections 2 and 8). (1) Soft value iteration tends to hard value iteration as alpha -&gt; 0:
/// max_a q &lt;= alpha log sum_a exp(q/alpha) &lt;= max_a q + alpha log A, and both operators are gamma-contractions, so
/// V* &lt;= V_soft &lt;= V* + alpha log A/(1-gamma) (Ziebart 2010; Haarnoja et al. 2017; the standard bound). At
/// alpha = 1e-8 nothing overflows. (2) KL value iteration with a uniform reference equals soft value iteration shifted:
/// per backup lambda log sum_a (1/A) exp(q/lambda) = soft(q) - lambda log A, the relation THEORY.md states "per
/// backup". The implied fixed-point relation, derived here: if V_soft = T_soft V_soft then V = V_soft - k satisfies
/// T_soft V - c = V_soft - gamma k - c, which equals V iff k = c/(1-gamma) with c = lambda log A; so
/// V_KL = V_soft - lambda log A/(1-gamma) for a discounted model, and at stage h of a finite horizon
/// V_KL,h = V_soft,h - lambda log A sum_{j=0}^{H-h-1} gamma^j. Q shifts by a per-state constant, so the policies agree.
/// </summary>
public sealed class SoftLimitsProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    private static double Tolerance(ModelCase m, double extra) => 1e-9 * (m.RewardScale + extra) / (1 - m.Discount);

    public static TheoryData<double> Temperatures => [1.0, 1e-2, 1e-4, 1e-8];

    [Theory]
    [MemberData(nameof(Temperatures))]
    public void SoftValueIteration_TemperatureToZero_WithinAlphaLogAOverOneMinusGammaAboveHardValues(double alpha)
    {
        PropertyCheck.Run(ModelGenerators.Discounted().ToArbitrary(), model =>
        {
            var mdp = model.Build();
            double gamma = model.Discount, logA = Math.Log(model.ActionCount);
            double gapBound = alpha * logA / (1 - gamma);
            var hard = PolicyIteration.Solve(mdp, new PolicyIterationOptions(), Backend);
            var soft = SoftValueIteration.Solve(mdp, new SoftValueIterationOptions { Temperature = alpha, Tolerance = Tolerance(model, alpha * logA) }, Backend);
            Assert.True(soft.Converged, $"soft VI did not converge (bound {soft.ErrorBound})");
            AssertFinite(soft);
            double slack = Numerics.Slack(model.RewardScale + (model.RewardScale + alpha * logA) / (1 - gamma), gamma);
            double solverError = soft.ErrorBound + hard.ErrorBound + slack;
            for (int s = 0; s < model.StateCount; s++)
            {
                double d = soft.Values[s] - hard.Values[s];
                Assert.True(d >= -solverError && d <= gapBound + solverError,
                    $"s={s}: V_soft - V* = {d}, expected in [0, alpha log A/(1-gamma) = {gapBound}] up to {solverError}");
            }
        }, PropertyCheck.SolverCases / 2, $"{nameof(SoftValueIteration_TemperatureToZero_WithinAlphaLogAOverOneMinusGammaAboveHardValues)}-{alpha}");
    }

    [Fact]
    public void SoftValueIteration_TinyTemperature_PolicyIsAFiniteDistributionOnOptimalActions()
    {
        PropertyCheck.Run(ModelGenerators.Discounted().ToArbitrary(), model =>
        {
            var mdp = model.Build();
            var soft = SoftValueIteration.Solve(mdp, new SoftValueIterationOptions { Temperature = 1e-8, Tolerance = Tolerance(model, 0) }, Backend);
            AssertFinite(soft);
            int A = model.ActionCount;
            for (int s = 0; s < model.StateCount; s++)
            {
                var policy = soft.Policy.Slice(s * A, A);
                double sum = 0;
                foreach (double p in policy) sum += p;
                Assert.Equal(1, sum, 1e-12);
            }
        }, PropertyCheck.SolverCases / 2);
    }

    private static void AssertFinite(SolveResult r)
    {
        foreach (double x in r.Values) Assert.True(double.IsFinite(x), $"{r.Method}: non-finite value {x}");
        foreach (double x in r.QValues) Assert.True(double.IsFinite(x), $"{r.Method}: non-finite Q {x}");
        foreach (double x in r.Policy) Assert.True(double.IsFinite(x) && x >= 0 && x <= 1, $"{r.Method}: bad probability {x}");
    }

    /// <summary>A model with a coefficient lambda.</summary>
    public sealed record ModelWithCoefficient(ModelCase Model, double Lambda)
    {
        public override string ToString() => $"{Model}\n  lambda = {ModelCase.R(Lambda)}";
    }

    private static Arbitrary<ModelWithCoefficient> Discounted()
        => (from model in ModelGenerators.Discounted()
            from lambda in Gen.Elements(0.01, 0.1, 1.0, 10.0)
            select new ModelWithCoefficient(model, lambda)).ToArbitrary();

    private static Arbitrary<ModelWithCoefficient> Finite()
        => (from model in ModelGenerators.FiniteHorizon()
            from lambda in Gen.Elements(0.01, 0.1, 1.0, 10.0)
            select new ModelWithCoefficient(model, lambda)).ToArbitrary();

    [Fact]
    public void KlValueIteration_UniformReferenceDiscounted_EqualsSoftMinusLambdaLogAOverOneMinusGamma()
    {
        PropertyCheck.Run(Discounted(), c =>
        {
            var (model, lambda) = (c.Model, c.Lambda);
            var mdp = model.Build();
            double gamma = model.Discount, logA = Math.Log(model.ActionCount);
            double tol = Tolerance(model, lambda * logA);
            var soft = SoftValueIteration.Solve(mdp, new SoftValueIterationOptions { Temperature = lambda, Tolerance = tol }, Backend);
            var kl = KlValueIteration.Solve(mdp, new KlValueIterationOptions { Coefficient = lambda, Tolerance = tol }, Backend);
            Assert.True(soft.Converged && kl.Converged);
            double shift = lambda * logA / (1 - gamma);
            double slack = Numerics.Slack(model.RewardScale + (model.RewardScale + lambda * logA) / (1 - gamma), gamma);
            double allowed = soft.ErrorBound + kl.ErrorBound + slack;
            for (int s = 0; s < model.StateCount; s++)
            {
                double d = kl.Values[s] - (soft.Values[s] - shift);
                Assert.True(Math.Abs(d) <= allowed, $"s={s}: V_KL - (V_soft - lambda log A/(1-gamma)) = {d}, allowed {allowed}");
            }
            // Q_KL - Q_soft is a constant up to gamma times the value errors; the softmax moves by at most expm1(2d/lambda).
            AssertSamePolicy(soft, kl, Numerics.Expm1(2 * gamma * allowed / lambda) + 1e-12);
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void KlValueIteration_UniformReferenceFiniteHorizon_EqualsSoftMinusDiscountedStageShift()
    {
        PropertyCheck.Run(Finite(), c =>
        {
            var (model, lambda) = (c.Model, c.Lambda);
            var mdp = model.Build();
            int H = model.Horizon!.Value, S = model.StateCount;
            double gamma = model.Discount, logA = Math.Log(model.ActionCount);
            var soft = SoftValueIteration.Solve(mdp, new SoftValueIterationOptions { Temperature = lambda }, Backend);
            var kl = KlValueIteration.Solve(mdp, new KlValueIterationOptions { Coefficient = lambda }, Backend);
            Assert.Equal(H, soft.StageCount);
            Assert.Equal(H, kl.StageCount);
            // Exact backward recursions: only rounding, H backups of magnitude <= H (max|r| + lambda log A).
            double slack = 64 * Numerics.Epsilon * H * H * (model.RewardScale + lambda * logA + 1);
            for (int h = 0; h < H; h++)
            {
                double shift = 0;
                for (int j = 0; j < H - h; j++) shift += Math.Pow(gamma, j);
                shift *= lambda * logA;
                for (int s = 0; s < S; s++)
                {
                    double d = kl.Values[h * S + s] - (soft.Values[h * S + s] - shift);
                    Assert.True(Math.Abs(d) <= slack, $"h={h}, s={s}: V_KL - (V_soft - shift {shift}) = {d}");
                }
            }
            AssertSamePolicy(soft, kl, Numerics.Expm1(4 * slack / lambda) + 1e-12);
        });
    }

    private static void AssertSamePolicy(SolveResult soft, SolveResult kl, double tolerance)
    {
        double d = Numerics.SupDistance(soft.Policy, kl.Policy);
        Assert.True(d <= tolerance, $"policies differ by {d} > {tolerance}");
    }
}
