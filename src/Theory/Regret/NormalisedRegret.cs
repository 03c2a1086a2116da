using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Regret;

/// <summary>The regret under R1 of a policy optimal for R2, and the figures it is made of.</summary>
/// <param name="Value">(J1(pi1*) - J1(pi2*)) / (J1(pi1*) - J1(pi1_worst)), in [0, 1]; 0 when every policy has the same J1.</param>
/// <param name="BestObjective">J1(pi1*).</param>
/// <param name="WorstObjective">J1(pi1_worst) = min over policies of J1.</param>
/// <param name="ObjectiveOfOther">J1(pi2*).</param>
/// <param name="OtherActions">[S] pi2*, greedy for R2 with ties to the lowest action.</param>
public sealed record RegretResult(double Value, double BestObjective, double WorstObjective, double ObjectiveOfOther, int[] OtherActions);

/// <summary>Normalised regret (THEORY.md section 3): regret = (J1(pi1*) - J1(pi2*)) / (J1(pi1*) - J1(pi1_worst)).</summary>
/// <remarks>
/// Optimal policies come from exact policy iteration; pi1_worst is optimal for -R1, so J1(pi1_worst) = -J_{-R1}*. When
/// the range J1(pi1*) - J1(pi1_worst) is 0 (every policy equally good under R1) the denominator is taken as 1, so the
/// regret is 0; a range within rounding of 0 (1e-12 relative) counts as 0. J = mu0 . V with the model's mu0.
/// </remarks>
public static class NormalisedRegret
{
    /// <summary>Computes the regret under <paramref name="first"/> of the policy optimal for <paramref name="second"/>.</summary>
    public static RegretResult Compute(Mdp mdp, TransitionReward first, TransitionReward second, IBellmanBackend backend)
    {
        first.RequireFits(mdp);
        second.RequireFits(mdp);
        var rbar1 = first.Expected(mdp);
        double best = OptimalObjective(mdp, rbar1, backend, out _);
        double worst = -OptimalObjective(mdp, rbar1.Select(r => -r).ToArray(), backend, out _);
        OptimalObjective(mdp, second.Expected(mdp), backend, out int[] otherActions);
        var other = PolicyEvaluation.Evaluate(mdp.WithExpectedRewards(rbar1), Policy.FromActions(otherActions, 1, mdp.StateCount, mdp.ActionCount), backend);
        double range = best - worst;
        double scale = Math.Max(Math.Abs(best), Math.Abs(worst));
        double value = range <= 1e-12 * scale || range <= 0 ? 0 : (best - other.Objective) / range;
        if (!double.IsFinite(value))
            throw new NumericalException($"regret: non-finite value (J1* = {best}, J1 worst = {worst}, J1(pi2*) = {other.Objective})");
        return new RegretResult(Math.Clamp(value, 0, 1), best, worst, other.Objective, otherActions);
    }

    private static double OptimalObjective(Mdp mdp, double[] expectedRewards, IBellmanBackend backend, out int[] actions)
    {
        var solved = PolicyIteration.Solve(mdp.WithExpectedRewards(expectedRewards), new PolicyIterationOptions(), backend);
        actions = solved.Actions.ToArray();
        var mu0 = mdp.InitialDistribution;
        double objective = 0;
        for (int s = 0; s < mdp.StateCount; s++) objective += mu0[s] * solved.Values[s];
        return objective;
    }
}
