using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Behaviour;

/// <summary>The optimal model (THEORY.md section 4): uniform over argmax_a Q*_R(s,a).</summary>
/// <remarks>
/// Q* comes from exact policy iteration; actions within <see cref="RelativeTie"/> of the state's best Q (relative to
/// the largest |Q*|, at least 1) count as maximisers, so that rounding does not split a tie.
/// </remarks>
public sealed class OptimalBehaviour(Mdp mdp, IBellmanBackend backend) : IBehaviourModel
{
    /// <summary>How close to the best Q an action must be to count as optimal, relative to the scale of Q*.</summary>
    public const double RelativeTie = 1e-10;

    /// <inheritdoc/>
    public string Name => "optimal";

    /// <inheritdoc/>
    public Policy Act(TransitionReward reward)
    {
        var q = OptimalQ.Of(mdp, reward, backend);
        int S = mdp.StateCount, A = mdp.ActionCount;
        double scale = Math.Max(1, q.Max(Math.Abs));
        var policy = new double[S * A];
        for (int s = 0; s < S; s++)
        {
            var row = q.AsSpan(s * A, A);
            double best = double.NegativeInfinity;
            foreach (double x in row) best = Math.Max(best, x);
            int count = 0;
            for (int a = 0; a < A; a++) if (row[a] >= best - RelativeTie * scale) count++;
            for (int a = 0; a < A; a++) policy[s * A + a] = row[a] >= best - RelativeTie * scale ? 1.0 / count : 0;
        }
        return Policy.FromProbabilities(policy, 1, S, A);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// R(s,a,s') = 0 on the policy's support and -1 elsewhere: then V* = 0 and Q* = R, whose maximisers are exactly the
    /// support. The policy must be uniform over its support (within 1e-9), as every output of this model is.
    /// </remarks>
    public TransitionReward Invert(Policy policy)
    {
        policy.CheckFits(mdp);
        int S = mdp.StateCount, A = mdp.ActionCount;
        var p = policy.Probabilities;
        var reward = new double[S * A];
        for (int s = 0; s < S; s++)
        {
            int count = 0;
            for (int a = 0; a < A; a++) if (p[s * A + a] > 0) count++;
            for (int a = 0; a < A; a++)
            {
                double x = p[s * A + a];
                if (x > 0 && Math.Abs(x - 1.0 / count) > 1e-9)
                    throw new ArgumentException($"policy: state {s} is not uniform over its support (pi(a={a}) = {x}, expected {1.0 / count}); the optimal model gives only such policies");
                reward[s * A + a] = x > 0 ? 0 : -1;
            }
        }
        return TransitionReward.FromStateAction(S, A, reward);
    }
}
