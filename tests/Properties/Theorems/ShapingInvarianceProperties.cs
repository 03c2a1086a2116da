using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// SHAPING-INVARIANCE (THEORY.md sections 3 and 8). Potential shaping R'(s,a,s') = R(s,a,s') + gamma Phi(s') - Phi(s)
/// telescopes along every trajectory, so V'^pi = V^pi - Phi and J'(pi) = J(pi) - E_mu0 Phi for every policy, and the
/// optimal policies are unchanged, V*' = V* - Phi (Ng, Harada and Russell 1999). An S'-redistribution R'' with
/// E_{tau(s,a)} R'' = E_{tau(s,a)} R for every (s,a), free on impossible transitions, leaves rbar and hence J
/// unchanged (Skalse et al. 2023, STARC).
/// </summary>
public sealed class ShapingInvarianceProperties
{
    private static readonly IBellmanBackend Backend = new CpuBackend(2);

    private static double[] Shaped(ShapingCase c)
    {
        var m = c.Model;
        int S = m.StateCount, A = m.ActionCount;
        var shaped = (double[])m.Rewards.Clone();
        for (int s = 0; s < S; s++)
            for (int a = 0; a < A; a++)
                for (int n = 0; n < S; n++)
                    shaped[(s * A + a) * S + n] += m.Discount * c.Potential[n] - c.Potential[s];
        return shaped;
    }

    // R + D with E_tau D = 0 on every row: D is the raw draw centred on the possible transitions and left as drawn
    // on the impossible ones (which carry no weight).
    private static double[] Redistributed(ShapingCase c)
    {
        var m = c.Model;
        int S = m.StateCount, A = m.ActionCount;
        var result = (double[])m.Rewards.Clone();
        for (int s = 0; s < S; s++)
            for (int a = 0; a < A; a++)
            {
                int row = s * A + a;
                double mean = 0;
                for (int n = 0; n < S; n++) mean += m.P(0, s, a, n) * c.Redistribution[row * S + n];
                for (int n = 0; n < S; n++)
                    result[row * S + n] += m.P(0, s, a, n) > 0 ? c.Redistribution[row * S + n] - mean : c.Redistribution[row * S + n];
            }
        return result;
    }

    private static double Scale(ShapingCase c) => c.Model.RewardScale + 2 * Numerics.SupNorm(c.Potential) + 10;

    [Fact]
    public void Objective_PotentialShaping_ShiftsByMinusInitialPotential()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), c =>
        {
            var m = c.Model;
            var policy = Policy.FromProbabilities(c.Policy, 1, m.StateCount, m.ActionCount);
            var original = PolicyEvaluation.Evaluate(m.Build(), policy, Backend);
            var shaped = PolicyEvaluation.Evaluate(m.WithRewards(Shaped(c), [m.StateCount, m.ActionCount, m.StateCount]).Build(), policy, Backend);
            double shift = 0;
            for (int s = 0; s < m.StateCount; s++) shift += m.InitialDistribution[s] * c.Potential[s];
            double scale = Scale(c);
            double allowed = original.ErrorBound + shaped.ErrorBound + Numerics.Slack(scale + scale / (1 - m.Discount), m.Discount);
            Assert.True(Math.Abs(shaped.Objective - (original.Objective - shift)) <= allowed,
                $"J' = {shaped.Objective}, J - E Phi = {original.Objective - shift} (allowed {allowed})");
            for (int s = 0; s < m.StateCount; s++)
                Assert.True(Math.Abs(shaped.Values[s] - (original.Values[s] - c.Potential[s])) <= allowed, $"s={s}: V' != V - Phi");
        });
    }

    [Fact]
    public void OptimalPolicies_PotentialShaping_AreUnchangedAndValuesShiftByMinusPotential()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), c =>
        {
            var m = c.Model;
            var mdp = m.Build();
            var shapedMdp = m.WithRewards(Shaped(c), [m.StateCount, m.ActionCount, m.StateCount]).Build();
            var optimal = PolicyIteration.Solve(mdp, new PolicyIterationOptions(), Backend);
            var shapedOptimal = PolicyIteration.Solve(shapedMdp, new PolicyIterationOptions(), Backend);
            double scale = Scale(c);
            double slack = Numerics.Slack(scale + scale / (1 - m.Discount), m.Discount);
            double allowed = optimal.ErrorBound + shapedOptimal.ErrorBound + slack;
            for (int s = 0; s < m.StateCount; s++)
                Assert.True(Math.Abs(shapedOptimal.Values[s] - (optimal.Values[s] - c.Potential[s])) <= allowed,
                    $"s={s}: V*' = {shapedOptimal.Values[s]}, V* - Phi = {optimal.Values[s] - c.Potential[s]}");
            // The policy optimal for R' is optimal for R: its value under R is V*.
            var policy = Policy.FromActions(shapedOptimal.Actions, 1, m.StateCount, m.ActionCount);
            var underOriginal = PolicyEvaluation.Evaluate(mdp, policy, Backend);
            double d = Numerics.SupDistance(underOriginal.Values, optimal.Values);
            Assert.True(d <= underOriginal.ErrorBound + allowed, $"the shaped-optimal policy loses {d} under the original reward");
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void Objective_SPrimeRedistributionIncludingImpossibleTransitions_IsUnchanged()
    {
        PropertyCheck.Run(ModelGenerators.Shaping(), c =>
        {
            var m = c.Model;
            var policy = Policy.FromProbabilities(c.Policy, 1, m.StateCount, m.ActionCount);
            var original = PolicyEvaluation.Evaluate(m.Build(), policy, Backend);
            var moved = PolicyEvaluation.Evaluate(m.WithRewards(Redistributed(c), [m.StateCount, m.ActionCount, m.StateCount]).Build(), policy, Backend);
            double scale = Scale(c);
            double allowed = original.ErrorBound + moved.ErrorBound + Numerics.Slack(scale + scale / (1 - m.Discount), m.Discount);
            Assert.True(Math.Abs(moved.Objective - original.Objective) <= allowed, $"J'' = {moved.Objective}, J = {original.Objective} (allowed {allowed})");
        });
    }
}
