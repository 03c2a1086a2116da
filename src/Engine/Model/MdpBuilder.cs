namespace TabularRL.Engine.Model;

/// <summary>The raw arrays of a model, as a file or a generator gives them; <see cref="Build"/> validates and freezes them.</summary>
/// <remarks>
/// Transitions come either as CSR (<see cref="TransitionRowPointers"/>, <see cref="TransitionColumns"/> or
/// <see cref="TransitionColumnsWide"/>, <see cref="TransitionProbabilities"/>) or dense (<see cref="DenseTransitions"/>
/// with <see cref="DenseTransitionsShape"/> [S,A,S] or [H,S,A,S]). Rewards come as <see cref="Rewards"/> with
/// <see cref="RewardsShape"/> ([S,A], [S,A,S], [H,S,A], [H,S,A,S]) or as <see cref="TransitionRewards"/> aligned with
/// the CSR entries. Every violation of INTERFACES.md section 1 is a <see cref="ModelValidationException"/> that names
/// the key, the row and the value.
/// </remarks>
public sealed class MdpBuilder
{
    /// <summary>S.</summary>
    public int StateCount { get; set; }

    /// <summary>A.</summary>
    public int ActionCount { get; set; }

    /// <summary>gamma.</summary>
    public double Discount { get; set; }

    /// <summary>H, or null for an infinite-horizon model.</summary>
    public int? Horizon { get; set; }

    /// <summary>[R+1] CSR row pointers with R = S*A or H*S*A.</summary>
    public long[]? TransitionRowPointers { get; set; }

    /// <summary>[nnz] next states as int32.</summary>
    public int[]? TransitionColumns { get; set; }

    /// <summary>[nnz] next states as int64 (files may store them so); validated, then narrowed.</summary>
    public long[]? TransitionColumnsWide { get; set; }

    /// <summary>[nnz] probabilities.</summary>
    public double[]? TransitionProbabilities { get; set; }

    /// <summary>Dense transitions, row-major over <see cref="DenseTransitionsShape"/>.</summary>
    public double[]? DenseTransitions { get; set; }

    /// <summary>[S,A,S] or [H,S,A,S].</summary>
    public long[]? DenseTransitionsShape { get; set; }

    /// <summary>Rewards, row-major over <see cref="RewardsShape"/>.</summary>
    public double[]? Rewards { get; set; }

    /// <summary>[S,A], [S,A,S], [H,S,A] or [H,S,A,S].</summary>
    public long[]? RewardsShape { get; set; }

    /// <summary>[nnz] R(s,a,s') aligned with the CSR entries (alternative to <see cref="Rewards"/>).</summary>
    public double[]? TransitionRewards { get; set; }

    /// <summary>[S] mu0; null means uniform.</summary>
    public double[]? InitialDistribution { get; set; }

    /// <summary>How far a transition row or mu0 may sum from 1.</summary>
    public double RowSumTolerance { get; set; } = 1e-9;

    /// <summary>Validates everything and returns the immutable model.</summary>
    /// <exception cref="ModelValidationException">Any violation, naming the key, row and value.</exception>
    public Mdp Build()
    {
        ValidateScalars();
        var transitions = TransitionTable.FromBuilder(this);
        var rewards = RewardTable.Expected(StateCount, ActionCount, Horizon, transitions, Rewards, RewardsShape, TransitionRewards);
        var mu0 = ValidatedInitialDistribution();
        return new Mdp(StateCount, ActionCount, Discount, Horizon, transitions.RowPointers, transitions.Columns,
            transitions.Probabilities, transitions.StageCount, rewards.ExpectedSA, rewards.StageCount, rewards.Aligned, mu0);
    }

    private void ValidateScalars()
    {
        if (StateCount < 1)
            throw new ModelValidationException("num_states", $"{StateCount} (must be >= 1)");
        if (ActionCount < 1)
            throw new ModelValidationException("num_actions", $"{ActionCount} (must be >= 1)");
        if ((long)StateCount * ActionCount > int.MaxValue / 2)
            throw new ModelValidationException("num_states", $"S*A = {(long)StateCount * ActionCount} is too large (at most {int.MaxValue / 2})");
        if (Horizon is { } h && h < 1)
            throw new ModelValidationException("horizon", $"{h} (must be >= 1)");
        bool finite = Horizon.HasValue;
        if (!(Discount >= 0) || (finite ? Discount > 1 : Discount >= 1) || double.IsNaN(Discount))
        {
            string range = finite ? "0 <= gamma <= 1 with a horizon" : "0 <= gamma < 1 without a horizon";
            throw new ModelValidationException("discount", $"{Format.Value(Discount)} is out of range ({range})");
        }
        if (!(RowSumTolerance >= 0) || double.IsInfinity(RowSumTolerance))
            throw new ModelValidationException("row_sum_tolerance", $"{Format.Value(RowSumTolerance)} (must be finite and >= 0)");
    }

    private double[] ValidatedInitialDistribution()
    {
        if (InitialDistribution is null)
        {
            var uniform = new double[StateCount];
            Array.Fill(uniform, 1.0 / StateCount);
            return uniform;
        }
        var mu0 = InitialDistribution;
        if (mu0.Length != StateCount)
            throw new ModelValidationException("initial_distribution", $"length {mu0.Length}, expected S = {StateCount}");
        double sum = 0;
        for (int s = 0; s < mu0.Length; s++)
        {
            if (!double.IsFinite(mu0[s]) || mu0[s] < 0)
                throw new ModelValidationException("initial_distribution", $"entry (s={s}) is {Format.Value(mu0[s])} (must be finite and >= 0)");
            sum += mu0[s];
        }
        if (Math.Abs(sum - 1) > RowSumTolerance)
            throw new ModelValidationException("initial_distribution", $"sums to {Format.Value(sum)} (expected 1 within {Format.Value(RowSumTolerance)})");
        return (double[])mu0.Clone();
    }
}
