using TabularRL.Engine.Model;

namespace TabularRL.Theory.Data;

/// <summary>Draws episodes of a finite-horizon model under a policy: s_0 ~ mu0, a_h ~ pi_h(s_h), s_{h+1} ~ P_h(s_h, a_h).</summary>
/// <remarks>Deterministic for a given <see cref="Random"/> state, so experiments replay from their seed.</remarks>
public static class TrajectorySampler
{
    /// <summary><paramref name="count"/> independent episodes of <paramref name="mdp"/> under <paramref name="policy"/>.</summary>
    /// <param name="mdp">A finite-horizon model.</param>
    /// <param name="policy">Stationary or per-stage policy that fits the model.</param>
    /// <param name="count">Number of episodes, >= 0.</param>
    /// <param name="random">The generator.</param>
    public static Trajectory[] Sample(Mdp mdp, Policy policy, int count, Random random)
    {
        int H = mdp.Horizon ?? throw new ArgumentException("trajectories need a finite-horizon model", nameof(mdp));
        policy.CheckFits(mdp);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var episodes = new Trajectory[count];
        for (int i = 0; i < count; i++) episodes[i] = SampleOne(mdp, policy, H, random);
        return episodes;
    }

    private static Trajectory SampleOne(Mdp mdp, Policy policy, int horizon, Random random)
    {
        int A = mdp.ActionCount;
        var states = new int[horizon + 1];
        var actions = new int[horizon];
        states[0] = Categorical(mdp.InitialDistribution, random);
        for (int h = 0; h < horizon; h++)
        {
            actions[h] = Categorical(policy.At(h).Span.Slice(states[h] * A, A), random);
            states[h + 1] = NextState(mdp, h, states[h] * A + actions[h], random);
        }
        return new Trajectory(states, actions);
    }

    /// <summary>s' ~ P_h(row) for the CSR row s*A + a of stage <paramref name="h"/>.</summary>
    public static int NextState(Mdp mdp, int h, int row, Random random)
    {
        var rows = mdp.TransitionsAt(h);
        var pointers = rows.RowPointers.Span;
        int start = (int)pointers[row], end = (int)pointers[row + 1];
        int k = Categorical(rows.Values.Span[start..end], random);
        return rows.Columns.Span[start + k];
    }

    /// <summary>An index drawn with the given probabilities (the last positive one absorbs rounding).</summary>
    public static int Categorical(ReadOnlySpan<double> probabilities, Random random)
    {
        double u = random.NextDouble(), cumulative = 0;
        int last = -1;
        for (int i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] <= 0) continue;
            last = i;
            cumulative += probabilities[i];
            if (u < cumulative) return i;
        }
        return last >= 0 ? last : throw new ArgumentException("no positive probability to draw from", nameof(probabilities));
    }
}
