using TabularRL.Engine.Model;

namespace TabularRL.Theory.Rewards;

/// <summary>A reward R(s,a,s') over every triple, possible or not (THEORY.md section 1), stored dense as [S,A,S].</summary>
/// <remarks>
/// The reward-comparison theory needs rewards on impossible transitions too: S'-redistribution may change them, and
/// EPIC reads them (THEORY.md section 3). Dense storage costs 8 S^2 A bytes, which suits the small models the theory
/// is checked on (S = 32, A = 4: 32 KiB). Instances are immutable; arithmetic returns new ones.
/// </remarks>
public sealed class TransitionReward
{
    private readonly double[] _values;

    /// <summary>Wraps <paramref name="values"/> (not copied) as R with index (s*A + a)*S + s'.</summary>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="values">[S*A*S] values.</param>
    public TransitionReward(int stateCount, int actionCount, double[] values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stateCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 1);
        if (values.LongLength != (long)stateCount * actionCount * stateCount)
            throw new ArgumentException($"{values.LongLength} values for S={stateCount}, A={actionCount}: expected S*A*S = {(long)stateCount * actionCount * stateCount}", nameof(values));
        StateCount = stateCount;
        ActionCount = actionCount;
        _values = values;
    }

    /// <summary>S.</summary>
    public int StateCount { get; }

    /// <summary>A.</summary>
    public int ActionCount { get; }

    /// <summary>[S*A*S] values, index (s*A + a)*S + s'.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>R(s,a,s').</summary>
    public double this[int s, int a, int next] => _values[((long)s * ActionCount + a) * StateCount + next];

    /// <summary>The zero reward.</summary>
    public static TransitionReward Zero(int stateCount, int actionCount)
        => new(stateCount, actionCount, new double[(long)stateCount * actionCount * stateCount]);

    /// <summary>R(s,a,s') = f(s, a, s') for every triple.</summary>
    public static TransitionReward Create(int stateCount, int actionCount, Func<int, int, int, double> f)
    {
        var values = new double[(long)stateCount * actionCount * stateCount];
        long i = 0;
        for (int s = 0; s < stateCount; s++)
            for (int a = 0; a < actionCount; a++)
                for (int next = 0; next < stateCount; next++)
                    values[i++] = f(s, a, next);
        return new TransitionReward(stateCount, actionCount, values);
    }

    /// <summary>R(s,a,s') = r(s,a) for every s': a reward that does not depend on the next state.</summary>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="rewardSA">[S*A] values.</param>
    public static TransitionReward FromStateAction(int stateCount, int actionCount, ReadOnlySpan<double> rewardSA)
    {
        if (rewardSA.Length != stateCount * actionCount)
            throw new ArgumentException($"{rewardSA.Length} values, expected S*A = {stateCount * actionCount}", nameof(rewardSA));
        var values = new double[(long)stateCount * actionCount * stateCount];
        for (int sa = 0; sa < rewardSA.Length; sa++)
            values.AsSpan(sa * stateCount, stateCount).Fill(rewardSA[sa]);
        return new TransitionReward(stateCount, actionCount, values);
    }

    /// <summary>rbar(s,a) = sum_{s'} tau(s'|s,a) R(s,a,s') under the model's transitions (THEORY.md section 1).</summary>
    /// <param name="mdp">An infinite-horizon model with this S and A.</param>
    /// <returns>[S*A] expected rewards.</returns>
    public double[] Expected(Mdp mdp)
    {
        RequireFits(mdp);
        var pointers = mdp.RowPointers;
        var columns = mdp.Columns;
        var probabilities = mdp.Probabilities;
        int S = StateCount;
        var expected = new double[S * ActionCount];
        for (int row = 0; row < expected.Length; row++)
        {
            double sum = 0;
            for (long k = pointers[row]; k < pointers[row + 1]; k++)
                sum += probabilities[(int)k] * _values[(long)row * S + columns[(int)k]];
            expected[row] = sum;
        }
        return expected;
    }

    /// <summary>This reward plus <paramref name="other"/>.</summary>
    public TransitionReward Plus(TransitionReward other) => Combine(other, 1, 1);

    /// <summary>This reward minus <paramref name="other"/>.</summary>
    public TransitionReward Minus(TransitionReward other) => Combine(other, 1, -1);

    /// <summary>c R.</summary>
    public TransitionReward Times(double c)
    {
        var values = new double[_values.Length];
        for (long i = 0; i < values.LongLength; i++) values[i] = c * _values[i];
        return new TransitionReward(StateCount, ActionCount, values);
    }

    /// <summary>x R + y other, entry by entry.</summary>
    public TransitionReward Combine(TransitionReward other, double x, double y)
    {
        RequireSameShape(other);
        var values = new double[_values.Length];
        for (long i = 0; i < values.LongLength; i++) values[i] = x * _values[i] + y * other._values[i];
        return new TransitionReward(StateCount, ActionCount, values);
    }

    /// <summary>Throws unless <paramref name="mdp"/> is an infinite-horizon model with this reward's S and A.</summary>
    /// <exception cref="ModelValidationException">The model has a horizon, or other S or A.</exception>
    public void RequireFits(Mdp mdp)
    {
        TheoryModels.RequireDiscounted(mdp);
        if (mdp.StateCount != StateCount || mdp.ActionCount != ActionCount)
            throw new ModelValidationException("reward", $"has S={StateCount}, A={ActionCount}, the model S={mdp.StateCount}, A={mdp.ActionCount}");
    }

    private void RequireSameShape(TransitionReward other)
    {
        if (other.StateCount != StateCount || other.ActionCount != ActionCount)
            throw new ArgumentException($"rewards of different shapes: S={StateCount}, A={ActionCount} and S={other.StateCount}, A={other.ActionCount}");
    }
}
