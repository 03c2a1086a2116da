namespace TabularRL.Theory.Estimation;

/// <summary>Observed discrete choices with their feature matrices: for observation i, rows phi(s_i, a) for every action a, and the chosen a_i.</summary>
/// <remarks>Features are stored [n, A, d] row-major, the layout the log-likelihood sweeps in order.</remarks>
public sealed class ChoiceData
{
    private readonly double[] _featuresNAD;
    private readonly int[] _choices;

    /// <summary>Validates and wraps the arrays.</summary>
    /// <param name="featuresNAD">[n*A*d] features, finite.</param>
    /// <param name="choices">[n] chosen actions in [0, A).</param>
    /// <param name="actionCount">A.</param>
    /// <param name="dimension">d.</param>
    /// <exception cref="ArgumentException">Shapes disagree, a feature is not finite or a choice is out of range.</exception>
    public ChoiceData(double[] featuresNAD, int[] choices, int actionCount, int dimension)
    {
        ArgumentNullException.ThrowIfNull(featuresNAD);
        ArgumentNullException.ThrowIfNull(choices);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (featuresNAD.LongLength != (long)choices.Length * actionCount * dimension)
            throw new ArgumentException($"features have {featuresNAD.LongLength} values, expected n*A*d = {choices.Length}*{actionCount}*{dimension}", nameof(featuresNAD));
        for (int i = 0; i < choices.Length; i++)
            if (choices[i] < 0 || choices[i] >= actionCount)
                throw new ArgumentException($"choice {i} is {choices[i]}, out of range [0, {actionCount})", nameof(choices));
        for (long k = 0; k < featuresNAD.LongLength; k++)
            if (!double.IsFinite(featuresNAD[k]))
                throw new ArgumentException($"feature value {k} (observation {k / ((long)actionCount * dimension)}) is {featuresNAD[k]}", nameof(featuresNAD));
        _featuresNAD = featuresNAD;
        _choices = choices;
        ActionCount = actionCount;
        Dimension = dimension;
    }

    /// <summary>n.</summary>
    public int Count => _choices.Length;

    /// <summary>A.</summary>
    public int ActionCount { get; }

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>[A*d] features phi(s_i, .) of observation <paramref name="i"/>.</summary>
    public ReadOnlySpan<double> FeaturesOf(int i) => _featuresNAD.AsSpan(i * ActionCount * Dimension, ActionCount * Dimension);

    /// <summary>a_i.</summary>
    public int ChoiceOf(int i) => _choices[i];
}
