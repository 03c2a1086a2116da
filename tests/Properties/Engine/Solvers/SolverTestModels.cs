using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;

namespace TabularRL.Tests.Engine.Solvers;

/// <summary>Hand-made models whose solutions are worked out in comments, and the solver matrix they are run through.</summary>
internal static class SolverTestModels
{
    /// <summary>
    /// Two states, two actions, gamma = 0.9. State 0: a0 stays with reward 1, a1 moves to state 1 with reward 0.
    /// State 1: a0 stays with reward 2, a1 moves to state 0 with reward 0.
    /// Staying in 1 forever is worth V(1) = 2/(1-0.9) = 20 (moving back gives 0.9 V(0) = 16.2 &lt; 20).
    /// In state 0, staying forever is worth 1/(1-0.9) = 10, moving is worth 0.9 * 20 = 18, so V(0) = 18
    /// (and 1 + 0.9 * 18 = 17.2 &lt; 18 confirms it). Q = [[17.2, 18], [20, 16.2]], greedy actions [1, 0].
    /// </summary>
    public static Mdp TwoStateChain(double rewardScale = 1, double discount = 0.9) => new MdpBuilder
    {
        StateCount = 2,
        ActionCount = 2,
        Discount = discount,
        DenseTransitions =
        [
            1, 0, /* s0 a0 -> s0 */ 0, 1, /* s0 a1 -> s1 */
            0, 1, /* s1 a0 -> s1 */ 1, 0, /* s1 a1 -> s0 */
        ],
        Rewards = [1 * rewardScale, 0, 2 * rewardScale, 0],
    }.Build();

    public static readonly double[] TwoStateValues = [18, 20];

    public static readonly double[] TwoStateQ = [17.2, 18, 20, 16.2];

    public static readonly int[] TwoStateActions = [1, 0];

    public static IEnumerable<IBellmanBackend> Backends()
    {
        yield return new ReferenceBackend();
        yield return new CpuBackend(1);
        yield return new CpuBackend(2);
    }

    /// <summary>Every infinite-horizon hard solver at a tight tolerance.</summary>
    public static IEnumerable<SolveResult> HardSolves(Mdp mdp, IBellmanBackend backend, double tolerance = 1e-11)
    {
        yield return ValueIteration.Solve(mdp, new SolverOptions { Tolerance = tolerance }, backend);
        yield return GaussSeidelValueIteration.Solve(mdp, new SolverOptions { Tolerance = tolerance }, backend);
        yield return PolicyIteration.Solve(mdp, new PolicyIterationOptions(), backend);
        yield return PolicyIteration.Solve(mdp, new PolicyIterationOptions { DirectSolveMaxStates = 0 }, backend);
        yield return ModifiedPolicyIteration.Solve(mdp, new ModifiedPolicyIterationOptions { Tolerance = tolerance }, backend);
        yield return ModifiedPolicyIteration.Solve(mdp, new ModifiedPolicyIterationOptions { Tolerance = tolerance, EvaluationSweeps = 1 }, backend);
    }
}
