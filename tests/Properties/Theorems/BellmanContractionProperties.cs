using FsCheck;
using FsCheck.Fluent;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// BELLMAN-CONTRACTION (THEORY.md sections 1 and 8). The Bellman optimality operator T is a gamma-contraction in the
/// sup norm, ||T U - T V|| &lt;= gamma ||U - V|| (and so is the Gauss-Seidel sweep), hence value iteration's certificate
/// ||V_k - V*|| &lt;= gamma/(1-gamma) ||V_k - V_{k-1}|| holds, and value iteration, Gauss-Seidel value iteration,
/// policy iteration and modified policy iteration all reach the same V* and the same optimal-action sets.
/// Sources: Puterman (1994), Markov Decision Processes, sections 6.2-6.5 (contraction and Banach fixed point, value
/// iteration bounds, policy iteration, Gauss-Seidel, modified policy iteration); Puterman and Shin (1978).
/// The LP method (GLPK's simplex, then its policy evaluated exactly) is held to policy iteration's values and sets.
/// </summary>
public sealed class BellmanContractionProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    /// <summary>Solver tolerance: 1e-9 of the value scale, reachable in double precision for gamma up to 0.999.</summary>
    private static double Tolerance(ModelCase m) => 1e-9 * m.RewardScale / (1 - m.Discount);

    /// <summary>max |r| + max |V*|, the magnitude rounding scales with.</summary>
    private static double Scale(ModelCase m) => m.RewardScale + m.RewardScale / (1 - m.Discount);

    [Fact]
    public void PolicyIteration_AnyModel_BoundIsItsResidualAndResidualIsWithinEvaluationNoise()
    {
        PropertyCheck.Run(ModelGenerators.Discounted().ToArbitrary(), model =>
        {
            var mdp = model.Build();
            var pi = PolicyIteration.Solve(mdp, new PolicyIterationOptions(), Backend);
            Assert.True(pi.Converged, "policy iteration did not stabilise");
            // The certificate ||V - V*|| <= ||T V - V|| / (1-gamma), recomputed here with the reference backend.
            var (tv, _) = Numerics.HardBackup(mdp, pi.Values.ToArray());
            double residual = Numerics.SupDistance(tv, pi.Values);
            double slack = Numerics.Slack(Scale(model), model.Discount);
            Assert.InRange(residual / (1 - model.Discount), 0, pi.ErrorBound + slack);
            // PI switches an action only on a gain above the evaluation noise (1e-13 max(1, |Q|) plus twice gamma times
            // the evaluation's certified error) and evaluates exactly up to the linear solver's rounding floor, so
            // ||T V - V|| is at most that noise plus rounding of n-term sums, the evaluation error amplified by 1/(1-gamma).
            // (It is usually a few ulps; at gamma = 0.999 it has been seen at 64 eps |V|.)
            double maxQ = Numerics.SupNorm(pi.QValues);
            double rounding = 16 * Numerics.Epsilon * (model.StateCount + 4) * Scale(model);
            double floor = 1e-13 * Math.Max(1, maxQ) + rounding * (1 + 2 * model.Discount / (1 - model.Discount));
            Assert.InRange(pi.ErrorBound * (1 - model.Discount), 0, floor);
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void LinearProgramming_AnyModel_ConvergesToPolicyIterationValues()
    {
        PropertyCheck.Run(ModelGenerators.Discounted().ToArbitrary(), model =>
        {
            var mdp = model.Build();
            var pi = PolicyIteration.Solve(mdp, new PolicyIterationOptions(), Backend);
            var lp = LinearProgramming.Solve(mdp, Backend);
            Assert.True(lp.Converged, $"lp: residual {lp.Residual}");
            double slack = Numerics.Slack(Scale(model), model.Discount);
            Assert.InRange(Numerics.SupDistance(lp.Values.ToArray(), pi.Values), 0, lp.ErrorBound + pi.ErrorBound + slack);
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void ValueIteration_AnyModel_ErrorBoundCoversDistanceToPolicyIterationValues()
    {
        PropertyCheck.Run(ModelGenerators.Discounted().ToArbitrary(), model =>
        {
            var mdp = model.Build();
            var pi = PolicyIteration.Solve(mdp, new PolicyIterationOptions(), Backend);
            var vi = ValueIteration.Solve(mdp, new SolverOptions { Tolerance = Tolerance(model) }, Backend);
            Assert.True(vi.Converged, $"value iteration stopped after {vi.Iterations} sweeps with bound {vi.ErrorBound}");
            Assert.InRange(vi.ErrorBound, 0, Tolerance(model));
            double slack = Numerics.Slack(Scale(model), model.Discount);
            Assert.InRange(Numerics.SupDistance(vi.Values, pi.Values), 0, vi.ErrorBound + pi.ErrorBound + slack);
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void IterativeMethods_AnyModel_AgreeWithPolicyIterationWithinTheirBounds()
    {
        PropertyCheck.Run(ModelGenerators.Discounted().ToArbitrary(), model =>
        {
            var mdp = model.Build();
            var pi = PolicyIteration.Solve(mdp, new PolicyIterationOptions(), Backend);
            double slack = Numerics.Slack(Scale(model), model.Discount);
            foreach (var result in IterativeSolves(mdp, Tolerance(model)))
            {
                Assert.True(result.Converged, $"{result.Method} did not converge");
                double distance = Numerics.SupDistance(result.Values, pi.Values);
                Assert.True(distance <= result.ErrorBound + pi.ErrorBound + slack,
                    $"{result.Method}: |V - V_PI| = {distance} > bound {result.ErrorBound} + {pi.ErrorBound} + slack {slack}");
            }
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void AllMethods_NoNearTieInAmbiguityBand_AgreeOnOptimalActionSets()
    {
        PropertyCheck.Run(ModelGenerators.Discounted().ToArbitrary(), model =>
        {
            var mdp = model.Build();
            int A = model.ActionCount;
            double gamma = model.Discount;
            var pi = PolicyIteration.Solve(mdp, new PolicyIterationOptions(), Backend);
            var piQ = pi.QValues.ToArray();
            double delta = Numerics.Slack(Scale(model), gamma);
            // Q = r + gamma P V, so |Q_M - Q*| <= gamma |V_M - V*| + rounding = e_M.
            double ePi = gamma * pi.ErrorBound + delta;
            var results = IterativeSolves(mdp, Tolerance(model)).Append(pi).Append(LinearProgramming.Solve(mdp, Backend)).ToList();
            var widths = new List<double>();
            foreach (var result in results)
            {
                double eM = gamma * result.ErrorBound + delta;
                // 2 gamma bound + slack, with the slack covering rounding and PI's own error, so that exact ties
                // (gaps of a few ulps in either Q) are inside every set.
                double width = 2 * gamma * result.ErrorBound + 2 * delta + 4 * ePi + delta;
                // Gaps (measured on PI's Q) in (delta, width + 2 e_M + 4 e_PI] are ambiguous: the true gap may sit on
                // either side of the width, for one method and not the other. Such a near tie is not a
                // disagreement about V*, and the sets are only claimed equal outside it: discard the draw.
                double upper = width + 2 * eM + 4 * ePi;
                for (int s = 0; s < model.StateCount; s++)
                {
                    double max = piQ.AsSpan(s * A, A).ToArray().Max();
                    for (int a = 0; a < A; a++)
                    {
                        double gap = max - piQ[s * A + a];
                        if (gap > delta && gap <= upper) return PropertyCheck.Discard;
                    }
                }
                widths.Add(width);
            }
            for (int i = 0; i < results.Count; i++)
            {
                var sets = Greedy.OptimalActionSets(results[i].QValues, A, widths[i]);
                var reference = Greedy.OptimalActionSets(piQ, A, widths[i]);
                Assert.True(sets.SequenceEqual(reference),
                    $"{results[i].Method} optimal-action sets differ from policy iteration's at width {widths[i]}");
                // The greedy action is optimal up to the set width plus the documented tie width of Greedy.Actions.
                var withTies = Greedy.OptimalActionSets(piQ, A, widths[i] + Greedy.TieTolerance(Numerics.SupNorm(piQ)));
                for (int s = 0; s < model.StateCount; s++)
                    Assert.True(withTies[s * A + results[i].Actions[s]], $"{results[i].Method}: greedy action of s={s} is not optimal");
            }
            return PropertyCheck.Pass;
        }, PropertyCheck.SolverCases);
    }

    /// <summary>A model with two value vectors U and V.</summary>
    public sealed record ValuePair(ModelCase Model, double[] U, double[] V)
    {
        public override string ToString() => $"{Model}\n  U = {ModelCase.Vector(U)}\n  V = {ModelCase.Vector(V)}";
    }

    private static Arbitrary<ValuePair> ValuePairs()
        => (from model in ModelGenerators.Discounted()
            from scale in Gen.Elements(1.0, 100.0, 1e4)
            from u in Gen.ArrayOf(ModelGenerators.Uniform(-1, 1), model.StateCount)
            from v in Gen.OneOf(
                Gen.ArrayOf(ModelGenerators.Uniform(-1, 1), model.StateCount),
                // Nearby pairs test the contraction at small distances too.
                Gen.ArrayOf(ModelGenerators.Uniform(-1e-6, 1e-6), model.StateCount).Select(d => u.Zip(d, (x, y) => x + y).ToArray()))
            select new ValuePair(model, u.Select(x => x * scale).ToArray(), v.Select(x => x * scale).ToArray())).ToArbitrary();

    public static TheoryData<string> BackendNames => ["reference", "cpu-1", "cpu-3"];

    private static IBellmanBackend Create(string name) => name switch
    {
        "reference" => new ReferenceBackend(),
        "cpu-1" => new CpuBackend(1),
        _ => new CpuBackend(3),
    };

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void BellmanOperator_RandomValuePairs_IsGammaContraction(string backendName)
    {
        using var backend = Create(backendName);
        PropertyCheck.Run(ValuePairs(), pair =>
        {
            var problem = pair.Model.Build().ProblemAt(0);
            int S = pair.Model.StateCount;
            var tu = new double[S];
            var tv = new double[S];
            Assert.False(double.IsNaN(backend.HardBackup(problem, pair.U, Memory<double>.Empty, tu, Memory<int>.Empty)));
            Assert.False(double.IsNaN(backend.HardBackup(problem, pair.V, Memory<double>.Empty, tv, Memory<int>.Empty)));
            AssertContraction(pair, tu, tv, "T");
        }, name: $"{nameof(BellmanOperator_RandomValuePairs_IsGammaContraction)}-{backendName}");
    }

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void GaussSeidelSweep_RandomValuePairs_IsGammaContraction(string backendName)
    {
        using var backend = Create(backendName);
        PropertyCheck.Run(ValuePairs(), pair =>
        {
            var problem = pair.Model.Build().ProblemAt(0);
            var gu = (double[])pair.U.Clone();
            var gv = (double[])pair.V.Clone();
            Assert.False(double.IsNaN(backend.GaussSeidelSweep(problem, gu, Memory<int>.Empty)));
            Assert.False(double.IsNaN(backend.GaussSeidelSweep(problem, gv, Memory<int>.Empty)));
            AssertContraction(pair, gu, gv, "Gauss-Seidel sweep");
        }, name: $"{nameof(GaussSeidelSweep_RandomValuePairs_IsGammaContraction)}-{backendName}");
    }

    private static void AssertContraction(ValuePair pair, double[] tu, double[] tv, string op)
    {
        double gamma = pair.Model.Discount;
        double before = Numerics.SupDistance(pair.U, pair.V);
        double after = Numerics.SupDistance(tu, tv);
        // Each output carries rounding of at most ~16 eps (|r| + |v|); two outputs are compared.
        double rounding = 32 * Numerics.Epsilon * (pair.Model.RewardScale + Math.Max(Numerics.SupNorm(pair.U), Numerics.SupNorm(pair.V)));
        Assert.True(after <= gamma * before + rounding,
            $"||{op} U - {op} V|| = {after} > gamma ||U - V|| = {gamma} * {before} (+ rounding {rounding})");
    }

    private static IEnumerable<SolveResult> IterativeSolves(Mdp mdp, double tolerance)
    {
        yield return ValueIteration.Solve(mdp, new SolverOptions { Tolerance = tolerance }, Backend);
        yield return GaussSeidelValueIteration.Solve(mdp, new SolverOptions { Tolerance = tolerance }, Backend);
        yield return ModifiedPolicyIteration.Solve(mdp, new ModifiedPolicyIterationOptions { Tolerance = tolerance }, Backend);
        yield return ModifiedPolicyIteration.Solve(mdp, new ModifiedPolicyIterationOptions { Tolerance = tolerance, EvaluationSweeps = 1 }, Backend);
    }
}
