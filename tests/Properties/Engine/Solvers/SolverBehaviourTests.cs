using FsCheck;
using FsCheck.Fluent;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Engine.Solvers;

/// <summary>Iteration limits, overflow, MPI's relation to VI, and the Krylov evaluation path on a large model.</summary>
public sealed class SolverBehaviourTests
{
    [Fact]
    public void ModifiedPolicyIteration_OneEvaluationSweep_IsValueIterationFromMinRewardStart()
    {
        PropertyCheck.Run(ModelGenerators.Discounted().ToArbitrary(), model =>
        {
            var mdp = model.Build();
            var backend = new CpuBackend(1);
            var problem = mdp.ProblemAt(0);
            // MPI with m = 1 is V_{k+1} = T V_k from the constant v0 = min r / (1-gamma), sweep for sweep, up to its final shift.
            var v = Enumerable.Repeat(mdp.ExpectedRewards.ToArray().Min() / (1 - model.Discount), model.StateCount).ToArray();
            var iterates = new List<double[]> { v };
            for (int k = 1; k <= 4; k++)
            {
                var next = new double[model.StateCount];
                backend.HardBackup(problem, iterates[^1], Memory<double>.Empty, next, Memory<int>.Empty);
                iterates.Add(next);
            }
            for (int k = 1; k <= 4; k++)
            {
                var mpi = ModifiedPolicyIteration.Solve(mdp, new ModifiedPolicyIterationOptions { EvaluationSweeps = 1, MaxIterations = k, Tolerance = 1e-300 }, backend);
                // It stops early only on a zero certificate (gamma = 0, or an exact fixed point).
                if (mpi.Iterations < k) Assert.True(mpi.Converged && mpi.ErrorBound == 0, $"stopped after {mpi.Iterations} < {k} sweeps");
                else Assert.Equal(k, mpi.Iterations);
                // The returned values are that iterate shifted by a constant (MacQueen's midpoint).
                var offset = mpi.Values.ToArray().Zip(iterates[mpi.Iterations], (a, b) => a - b).ToArray();
                double scale = iterates[mpi.Iterations].Max(Math.Abs) + Math.Abs(offset[0]) + 1;
                Assert.True(offset.Max() - offset.Min() <= 1e-14 * scale, $"offset varies by {offset.Max() - offset.Min()}");
            }
            // Converged, both reach V* within their certified bounds.
            double tol = 1e-9 * model.RewardScale / (1 - model.Discount);
            var vi = ValueIteration.Solve(mdp, new SolverOptions { Tolerance = tol }, backend);
            var mpi1 = ModifiedPolicyIteration.Solve(mdp, new ModifiedPolicyIterationOptions { EvaluationSweeps = 1, Tolerance = tol }, backend);
            double slack = Numerics.Slack(model.RewardScale * (1 + 1 / (1 - model.Discount)), model.Discount);
            Assert.True(Numerics.SupDistance(vi.Values, mpi1.Values) <= vi.ErrorBound + mpi1.ErrorBound + slack);
        }, 40);
    }

    public static TheoryData<string> IterativeSolvers => ["value-iteration", "gauss-seidel", "modified-policy-iteration", "soft", "kl"];

    private static SolveResult Run(string solver, Mdp mdp, int maxIterations, IBellmanBackend backend) => solver switch
    {
        "value-iteration" => ValueIteration.Solve(mdp, new SolverOptions { MaxIterations = maxIterations, Tolerance = 1e-10 }, backend),
        "gauss-seidel" => GaussSeidelValueIteration.Solve(mdp, new SolverOptions { MaxIterations = maxIterations, Tolerance = 1e-10 }, backend),
        "modified-policy-iteration" => ModifiedPolicyIteration.Solve(mdp, new ModifiedPolicyIterationOptions { MaxIterations = maxIterations, Tolerance = 1e-10 }, backend),
        "soft" => SoftValueIteration.Solve(mdp, new SoftValueIterationOptions { MaxIterations = maxIterations, Tolerance = 1e-10 }, backend),
        _ => KlValueIteration.Solve(mdp, new KlValueIterationOptions { MaxIterations = maxIterations, Tolerance = 1e-10 }, backend),
    };

    [Theory]
    [MemberData(nameof(IterativeSolvers))]
    public void IterativeSolver_TinyIterationLimit_ReportsNotConverged(string solver)
    {
        var mdp = SolverTestModels.TwoStateChain(discount: 0.99);
        var result = Run(solver, mdp, 2, new CpuBackend(1));
        Assert.False(result.Converged);
        Assert.Equal(2, result.Iterations);
        Assert.True(result.ErrorBound > 1e-10, $"bound {result.ErrorBound}");
        Assert.All(result.Values.ToArray(), v => Assert.True(double.IsFinite(v)));
        // The bound is still a valid certificate for the hard solvers: V* = [0.99 * 200, 2 / 0.01] = [198, 200] at gamma 0.99.
        if (solver is "value-iteration" or "gauss-seidel" or "modified-policy-iteration")
            Assert.True(Numerics.SupDistance(result.Values, [198, 200]) <= result.ErrorBound + 1e-9, $"{solver}: {string.Join(", ", result.Values.ToArray())} vs [198, 200], bound {result.ErrorBound}");

        var converged = Run(solver, mdp, 1_000_000, new CpuBackend(1));
        Assert.True(converged.Converged);
        Assert.InRange(converged.ErrorBound, 0, 1e-10);
    }

    [Fact]
    public void PolicyIteration_OneImprovementStep_ReportsNotConverged()
    {
        // The first policy is greedy on r: staying in state 0 (reward 1), worth 10 < 18, so one step cannot be stable.
        var mdp = SolverTestModels.TwoStateChain();
        var limited = PolicyIteration.Solve(mdp, new PolicyIterationOptions { MaxIterations = 1 }, new CpuBackend(1));
        Assert.False(limited.Converged);
        Assert.Equal(1, limited.Iterations);
        var full = PolicyIteration.Solve(mdp, new PolicyIterationOptions(), new CpuBackend(1));
        Assert.True(full.Converged);
        Assert.Equal(2, full.Iterations);
    }

    public static TheoryData<string> AllSolvers => ["value-iteration", "gauss-seidel", "modified-policy-iteration", "soft", "kl", "policy-iteration", "policy-evaluation", "deterministic-policy-evaluation"];

    [Theory]
    [MemberData(nameof(AllSolvers))]
    public void Solver_RewardsNearDoubleMax_ThrowsNumericalExceptionInsteadOfInfinity(string solver)
    {
        // V* = 1e308 / (1 - 0.99) = 1e310 overflows; the solver must say so rather than return infinity or garbage.
        var mdp = SolverTestModels.TwoStateChain(rewardScale: 1e308 / 2, discount: 0.99);
        foreach (var backend in SolverTestModels.Backends())
        {
            var e = Assert.Throws<NumericalException>(() =>
            {
                switch (solver)
                {
                    case "policy-iteration":
                        PolicyIteration.Solve(mdp, new PolicyIterationOptions(), backend);
                        break;
                    case "policy-evaluation":
                        PolicyEvaluation.Evaluate(mdp, Policy.Uniform(2, 2), backend);
                        break;
                    case "deterministic-policy-evaluation":
                        PolicyEvaluation.Evaluate(mdp, Policy.FromActions([0, 0], 1, 2, 2), backend);
                        break;
                    default:
                        Run(solver, mdp, 1_000_000, backend);
                        break;
                }
            });
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
    }

    [Fact]
    public void BackwardInduction_OverflowingStages_ThrowsNumericalExceptionNamingTheStage()
    {
        var mdp = new MdpBuilder
        {
            StateCount = 1,
            ActionCount = 1,
            Discount = 1,
            Horizon = 3,
            DenseTransitions = [1],
            Rewards = [1e308],
        }.Build();
        var e = Assert.Throws<NumericalException>(() => BackwardInduction.Solve(mdp, new CpuBackend(1)));
        Assert.Contains("stage", e.Message);
        Assert.Contains("state 0", e.Message);
        Assert.Throws<NumericalException>(() => SoftValueIteration.Solve(mdp, new SoftValueIterationOptions(), new ReferenceBackend()));
    }

    /// <summary>A random sparse model of 2000 states, 3 actions, 1..6 next states per row.</summary>
    private static Mdp LargeSparse(int seed, double discount)
    {
        const int S = 2000, A = 3;
        var random = new System.Random(seed);
        var indptr = new long[S * A + 1];
        var columns = new List<int>();
        var data = new List<double>();
        for (int row = 0; row < S * A; row++)
        {
            int count = random.Next(1, 7);
            var next = Enumerable.Range(0, count).Select(_ => random.Next(S)).Distinct().Order().ToArray();
            var weights = next.Select(_ => 0.05 + random.NextDouble()).ToArray();
            double total = weights.Sum();
            columns.AddRange(next);
            data.AddRange(weights.Select(w => w / total));
            indptr[row + 1] = columns.Count;
        }
        return new MdpBuilder
        {
            StateCount = S,
            ActionCount = A,
            Discount = discount,
            TransitionRowPointers = indptr,
            TransitionColumns = columns.ToArray(),
            TransitionProbabilities = data.ToArray(),
            Rewards = Enumerable.Range(0, S * A).Select(_ => random.NextDouble() * 2 - 1).ToArray(),
        }.Build();
    }

    [Fact]
    public void PolicyIteration_LargeSparseKrylovPath_AgreesWithDenseLuPath()
    {
        var mdp = LargeSparse(seed: 7, discount: 0.95);
        var backend = new CpuBackend(2);
        var krylov = PolicyIteration.Solve(mdp, new PolicyIterationOptions { DirectSolveMaxStates = 16 }, backend);
        Assert.True(krylov.Converged);
        // One dense LU evaluation of the same final policy (a dense PI would refactorise 2000x2000 at every step).
        var policy = Policy.FromActions(krylov.Actions, 1, mdp.StateCount, mdp.ActionCount);
        var dense = PolicyEvaluation.Evaluate(mdp, policy, backend, directMaxStates: 4096);
        double scale = Numerics.SupNorm(dense.Values);
        Assert.True(Numerics.SupDistance(krylov.Values, dense.Values) <= 1e-10 * scale,
            $"Krylov vs LU: {Numerics.SupDistance(krylov.Values, dense.Values)} (scale {scale})");
        Assert.InRange(krylov.ErrorBound, 0, 1e-10 * scale);
        // The final policy is optimal: its values are a fixed point of T up to rounding.
        var (tv, _) = Numerics.HardBackup(mdp, dense.Values.ToArray());
        Assert.True(Numerics.SupDistance(tv, dense.Values) <= 1e-12 * scale);
    }
}
