using TabularRL.Kernels.Ordering;

namespace TabularRL.Engine.Model;

/// <summary>A validated, immutable policy pi_h(a|s) as dense probabilities over [stages, S, A] (INTERFACES.md section 2).</summary>
/// <remarks>Stationary policies have one stage; finite-horizon policies may have H. A deterministic policy is stored one-hot.</remarks>
public sealed class Policy
{
    private readonly double[] _probabilities;

    private Policy(double[] probabilities, int stageCount, int stateCount, int actionCount)
    {
        _probabilities = probabilities;
        StageCount = stageCount;
        StateCount = stateCount;
        ActionCount = actionCount;
    }

    /// <summary>1 or H.</summary>
    public int StageCount { get; }

    /// <summary>S.</summary>
    public int StateCount { get; }

    /// <summary>A.</summary>
    public int ActionCount { get; }

    /// <summary>[StageCount*S*A] probabilities pi_h(a|s).</summary>
    public ReadOnlySpan<double> Probabilities => _probabilities;

    /// <summary>[S*A] probabilities of stage <paramref name="h"/> (stage 0 for a stationary policy).</summary>
    /// <param name="h">Stage.</param>
    public ReadOnlyMemory<double> At(int h)
    {
        int perStage = StateCount * ActionCount;
        return _probabilities.AsMemory((StageCount == 1 ? 0 : h) * perStage, perStage);
    }

    /// <summary>The same policy on a model whose states were relabelled by <paramref name="permutation"/> (<see cref="Mdp.Reordered"/>).</summary>
    /// <exception cref="ArgumentException">The permutation is over another number of states.</exception>
    public Policy Reordered(StatePermutation permutation)
    {
        ArgumentNullException.ThrowIfNull(permutation);
        if (permutation.StateCount != StateCount)
            throw new ArgumentException($"the permutation is over {permutation.StateCount} states, the policy has {StateCount}", nameof(permutation));
        var probabilities = new double[_probabilities.Length];
        permutation.ToNew<double>(_probabilities, probabilities, ActionCount);
        return new Policy(probabilities, StageCount, StateCount, ActionCount);
    }

    /// <summary>A stochastic policy from probabilities; rows must be finite, non-negative and sum to 1.</summary>
    /// <param name="probabilities">[stages*S*A] row-major.</param>
    /// <param name="stageCount">1 or H.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="tolerance">Allowed deviation of a row sum from 1.</param>
    /// <param name="key">Name used in error messages.</param>
    public static Policy FromProbabilities(double[] probabilities, int stageCount, int stateCount, int actionCount, double tolerance = 1e-9, string key = "policy")
    {
        long expected = (long)stageCount * stateCount * actionCount;
        if (probabilities.LongLength != expected)
            throw new ModelValidationException(key, $"has {probabilities.LongLength} values, expected {expected} = stages*S*A");
        bool staged = stageCount > 1;
        for (long row = 0; row < (long)stageCount * stateCount; row++)
        {
            double sum = 0;
            for (int a = 0; a < actionCount; a++)
            {
                double p = probabilities[row * actionCount + a];
                if (!double.IsFinite(p) || p < 0)
                    throw new ModelValidationException(key, $"entry {StateLabel(row, stateCount, staged).TrimEnd(')')}, a={a}) is {Format.Value(p)} (probabilities must be finite and >= 0)");
                sum += p;
            }
            if (!(Math.Abs(sum - 1) <= tolerance))
                throw new ModelValidationException(key, $"row {StateLabel(row, stateCount, staged)} sums to {Format.Value(sum)} (expected 1 within {Format.Value(tolerance)})");
        }
        return new Policy((double[])probabilities.Clone(), stageCount, stateCount, actionCount);
    }

    /// <summary>A deterministic policy from one action per state (and stage).</summary>
    /// <param name="actions">[stages*S] actions in [0, A).</param>
    /// <param name="stageCount">1 or H.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="key">Name used in error messages.</param>
    public static Policy FromActions(ReadOnlySpan<int> actions, int stageCount, int stateCount, int actionCount, string key = "policy")
    {
        long expected = (long)stageCount * stateCount;
        if (actions.Length != expected)
            throw new ModelValidationException(key, $"has {actions.Length} actions, expected {expected} = stages*S");
        var probabilities = new double[expected * actionCount];
        for (int i = 0; i < actions.Length; i++)
        {
            if (actions[i] < 0 || actions[i] >= actionCount)
                throw new ModelValidationException(key, $"action at {StateLabel(i, stateCount, stageCount > 1)} is {actions[i]}, out of range [0, {actionCount})");
            probabilities[(long)i * actionCount + actions[i]] = 1;
        }
        return new Policy(probabilities, stageCount, stateCount, actionCount);
    }

    /// <summary>The uniform policy.</summary>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    public static Policy Uniform(int stateCount, int actionCount)
    {
        var probabilities = new double[(long)stateCount * actionCount];
        Array.Fill(probabilities, 1.0 / actionCount);
        return new Policy(probabilities, 1, stateCount, actionCount);
    }

    /// <summary>Checks that this policy fits <paramref name="mdp"/>: same S and A, and 1 or H stages.</summary>
    /// <param name="mdp">The model.</param>
    /// <param name="key">Name used in error messages.</param>
    public void CheckFits(Mdp mdp, string key = "policy")
    {
        if (StateCount != mdp.StateCount || ActionCount != mdp.ActionCount)
            throw new ModelValidationException(key, $"is for S={StateCount}, A={ActionCount} but the model has S={mdp.StateCount}, A={mdp.ActionCount}");
        if (StageCount != 1 && StageCount != mdp.StageCount)
            throw new ModelValidationException(key, $"has {StageCount} stages but the model has horizon {mdp.Horizon?.ToString() ?? "none"}");
    }

    private static string StateLabel(long row, int stateCount, bool staged)
        => staged ? $"(h={row / stateCount}, s={row % stateCount})" : $"(s={row})";
}
