using FsCheck;
using FsCheck.Fluent;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// KL-VARIATIONAL (THEORY.md sections 2 and 8). For every state and every Q row,
/// lambda log sum_a pi_ref(a) exp(Q(a)/lambda) = max_p { &lt;p, Q&gt; - lambda KL(p || pi_ref) } over distributions p,
/// attained at p = pi_ref exp((Q - V)/lambda) (the Donsker-Varadhan / Gibbs variational principle; for regularised
/// MDPs Geist, Scherrer and Pietquin 2019, and Rawlik, Toussaint and Vijayakumar 2012). p with mass outside the support
/// of pi_ref has KL = +infinity, so the objective is -infinity and such p never compete; actions with pi_ref = 0 get
/// probability 0. lambda -&gt; infinity gives pi -&gt; pi_ref (|pi - pi_ref| &lt;= pi_ref expm1(D/lambda), D the range of Q
/// over the support); lambda -&gt; 0 gives the greedy policy over the support
/// (pi(a) &lt;= pi_ref(a)/pi_ref(a*) exp(-(Q(a*) - Q(a))/lambda)).
/// </summary>
public sealed class KlVariationalProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    /// <summary>A model, a reference policy with zeros, a coefficient, and raw weights for competitor distributions.</summary>
    public sealed record KlCase(ModelCase Model, double[] Reference, double Lambda, double[] Competitors)
    {
        public override string ToString()
            => $"{Model}\n  reference = {ModelCase.Vector(Reference)}\n  lambda = {ModelCase.R(Lambda)}\n  competitor weights = {ModelCase.Vector(Competitors)}";
    }

    private const int CompetitorsPerState = 8;

    private static Arbitrary<KlCase> Cases(params double[] lambdas)
        => (from model in ModelGenerators.Discounted()
            from reference in Gen.ArrayOf(ModelGenerators.Distribution(model.ActionCount), model.StateCount)
            from lambda in Gen.Elements(lambdas)
            from weights in Gen.ArrayOf(
                Gen.OneOf(Gen.Constant(0.0), ModelGenerators.Uniform(0, 1), ModelGenerators.Uniform(0, 1)),
                model.StateCount * CompetitorsPerState * model.ActionCount)
            select new KlCase(model, reference.SelectMany(r => r).ToArray(), lambda, weights)).ToArbitrary();

    private static SolveResult Solve(KlCase c, out Mdp mdp)
    {
        mdp = c.Model.Build();
        var reference = Policy.FromProbabilities(c.Reference, 1, c.Model.StateCount, c.Model.ActionCount);
        double tol = 1e-9 * (c.Model.RewardScale + c.Lambda * 20) / (1 - c.Model.Discount);
        var result = KlValueIteration.Solve(mdp, new KlValueIterationOptions { Coefficient = c.Lambda, Reference = reference, Tolerance = tol }, Backend);
        Assert.True(result.Converged, $"KL VI did not converge (bound {result.ErrorBound})");
        return result;
    }

    // <p, q> - lambda KL(p || ref); -infinity when p puts mass where ref is 0.
    private static double Objective(ReadOnlySpan<double> p, ReadOnlySpan<double> q, ReadOnlySpan<double> reference, double lambda)
    {
        double linear = 0, kl = 0;
        for (int a = 0; a < p.Length; a++)
        {
            if (p[a] == 0) continue;
            if (reference[a] == 0) return double.NegativeInfinity;
            linear += p[a] * q[a];
            kl += p[a] * Math.Log(p[a] / reference[a]);
        }
        return linear - lambda * kl;
    }

    // lambda log sum_a ref(a) exp(q(a)/lambda), computed as lambda * LSE(log ref + q/lambda) over the support.
    private static double Variational(ReadOnlySpan<double> q, ReadOnlySpan<double> reference, double lambda)
    {
        var terms = new double[q.Length];
        for (int a = 0; a < q.Length; a++)
            terms[a] = reference[a] > 0 ? Math.Log(reference[a]) + q[a] / lambda : double.NegativeInfinity;
        return lambda * Numerics.LogSumExp(terms);
    }

    // Rounding of <p,q> - lambda KL at the optimum: exp amplifies the absolute error eps |q - m|/lambda of its argument
    // into a relative error of p, which costs about eps |q - m| in the objective; the logs add eps lambda |log ref|.
    private static double Rounding(ReadOnlySpan<double> q, ReadOnlySpan<double> reference, double lambda)
    {
        double qScale = 1, logScale = 1;
        for (int a = 0; a < q.Length; a++)
        {
            qScale = Math.Max(qScale, Math.Abs(q[a]));
            if (reference[a] > 0) logScale = Math.Max(logScale, Math.Abs(Math.Log(reference[a])));
        }
        return 256 * Numerics.Epsilon * q.Length * (qScale + lambda * logScale);
    }

    [Fact]
    public void LogSumExp_ReturnedPolicy_AttainsTheVariationalMaximum()
    {
        PropertyCheck.Run(Cases(0.01, 0.1, 1.0, 10.0), c =>
        {
            var result = Solve(c, out _);
            int A = c.Model.ActionCount;
            for (int s = 0; s < c.Model.StateCount; s++)
            {
                var q = result.QValues.Slice(s * A, A);
                var reference = c.Reference.AsSpan(s * A, A);
                var pi = result.Policy.Slice(s * A, A);
                double value = Variational(q, reference, c.Lambda);
                double attained = Objective(pi, q, reference, c.Lambda);
                double tol = Rounding(q, reference, c.Lambda);
                Assert.True(Math.Abs(value - attained) <= tol,
                    $"s={s}: lambda log E_ref exp(Q/lambda) = {value} but <pi,Q> - lambda KL(pi||ref) = {attained} (tol {tol})");
                // The returned V is the last iterate; T V is the log-sum-exp of its Q, within gamma * last change of V.
                double toV = Math.Abs(value - result.Values[s]);
                Assert.True(toV <= c.Model.Discount * result.Residual + tol, $"s={s}: V = {result.Values[s]} vs log-sum-exp of Q {value}");
            }
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void LogSumExp_OtherDistributions_NeverExceedTheMaximum()
    {
        PropertyCheck.Run(Cases(0.01, 0.1, 1.0, 10.0), c =>
        {
            var result = Solve(c, out _);
            int A = c.Model.ActionCount;
            for (int s = 0; s < c.Model.StateCount; s++)
            {
                var q = result.QValues.Slice(s * A, A).ToArray();
                var reference = c.Reference.AsSpan(s * A, A).ToArray();
                double value = Variational(q, reference, c.Lambda);
                double tol = Rounding(q, reference, c.Lambda);
                for (int k = 0; k < CompetitorsPerState; k++)
                {
                    var w = c.Competitors.AsSpan((s * CompetitorsPerState + k) * A, A).ToArray();
                    // Same support as pi_ref (some zeros inside it are allowed).
                    var p = w.Select((x, a) => reference[a] > 0 ? x : 0).ToArray();
                    double total = p.Sum();
                    if (total > 0)
                    {
                        p = p.Select(x => x / total).ToArray();
                        double objective = Objective(p, q, reference, c.Lambda);
                        Assert.True(objective <= value + tol, $"s={s}: competitor {ModelCase.Vector(p)} has objective {objective} > {value}");
                    }
                    // Mass outside the support: KL is +infinity, so the objective is -infinity (excluded from the max).
                    int outside = Array.FindIndex(reference, x => x == 0);
                    if (outside >= 0)
                    {
                        var leak = w.Select(x => x + 1e-3).ToArray();
                        double leakTotal = leak.Sum();
                        leak = leak.Select(x => x / leakTotal).ToArray();
                        Assert.Equal(double.NegativeInfinity, Objective(leak, q, reference, c.Lambda));
                    }
                }
            }
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void Policy_ReferenceWithZeros_GivesZeroProbabilityThere()
    {
        PropertyCheck.Run(Cases(0.01, 1.0, 100.0), c =>
        {
            var result = Solve(c, out _);
            for (int i = 0; i < c.Reference.Length; i++)
            {
                if (c.Reference[i] == 0) Assert.Equal(0.0, result.Policy[i]);
                else Assert.True(result.Policy[i] >= 0 && result.Policy[i] <= 1);
            }
            for (int s = 0; s < c.Model.StateCount; s++)
                Assert.True(c.Reference[s * c.Model.ActionCount + result.Actions[s]] > 0, $"s={s}: greedy action outside the reference's support");
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void Policy_LargeCoefficient_ApproachesReference()
    {
        PropertyCheck.Run(Cases(1.0), c0 =>
        {
            // lambda a thousand times the largest possible value range: pi within 0.2% (relative) of pi_ref.
            var c = c0 with { Lambda = 1e3 * 2 * c0.Model.RewardScale / (1 - c0.Model.Discount) };
            var result = Solve(c, out _);
            int A = c.Model.ActionCount;
            for (int s = 0; s < c.Model.StateCount; s++)
            {
                var q = result.QValues.Slice(s * A, A);
                double max = double.NegativeInfinity, min = double.PositiveInfinity;
                for (int a = 0; a < A; a++)
                    if (c.Reference[s * A + a] > 0) (max, min) = (Math.Max(max, q[a]), Math.Min(min, q[a]));
                double factor = Numerics.Expm1((max - min) / c.Lambda);
                for (int a = 0; a < A; a++)
                {
                    double reference = c.Reference[s * A + a];
                    double d = Math.Abs(result.Policy[s * A + a] - reference);
                    Assert.True(d <= reference * factor + 1e-12, $"s={s}, a={a}: |pi - pi_ref| = {d} > pi_ref expm1(D/lambda) = {reference * factor}");
                    Assert.True(factor < 3e-3);
                }
            }
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void Policy_SmallCoefficient_IsGreedyOverTheSupport()
    {
        PropertyCheck.Run(Cases(1e-6), c =>
        {
            var result = Solve(c, out _);
            int A = c.Model.ActionCount;
            for (int s = 0; s < c.Model.StateCount; s++)
            {
                var q = result.QValues.Slice(s * A, A);
                int best = -1;
                for (int a = 0; a < A; a++)
                    if (c.Reference[s * A + a] > 0 && (best < 0 || q[a] > q[best])) best = a;
                for (int a = 0; a < A; a++)
                {
                    double reference = c.Reference[s * A + a];
                    if (reference == 0) continue;
                    double bound = reference / c.Reference[s * A + best] * Math.Exp(-(q[best] - q[a]) / c.Lambda);
                    Assert.True(result.Policy[s * A + a] <= bound * (1 + 1e-9) + 1e-300,
                        $"s={s}, a={a}: pi = {result.Policy[s * A + a]} > {bound} (gap {q[best] - q[a]})");
                }
                // The mode is a maximiser of Q over the support, up to lambda |log pi_ref| (the score is lambda log pi_ref + Q).
                double slack = c.Lambda * 40 + Greedy.TieTolerance(q[best]);
                Assert.True(q[result.Actions[s]] >= q[best] - slack, $"s={s}: mode {result.Actions[s]} is not greedy over the support");
            }
        }, PropertyCheck.SolverCases);
    }
}
