namespace TabularRL.Theory.Linear;

/// <summary>Known features phi(s,a) in R^d with ||phi(s,a)||_2 &lt;= 1 (THEORY.md section 5), validated once.</summary>
/// <remarks>This is everything a learner of a linear MDP is told about the model: DCPPO takes a feature map, never the
/// <see cref="LinearMdp"/> whose parameters it is meant to estimate.</remarks>
public sealed class FeatureMap
{
    /// <summary>How far above 1 a feature norm may be (rounding of features that were normalised to 1).</summary>
    public const double NormTolerance = 1e-12;

    private readonly double[] _phiSAD;

    /// <summary>Validates and copies the features.</summary>
    /// <param name="phiSAD">[S*A*d] features, row-major over (s, a, k), finite, each row of Euclidean norm at most 1.</param>
    /// <param name="stateCount">S &gt;= 1.</param>
    /// <param name="actionCount">A &gt;= 1.</param>
    /// <param name="dimension">d &gt;= 1.</param>
    /// <exception cref="ArgumentException">A shape disagrees, a feature is not finite or a row has norm above 1, naming (s,a).</exception>
    public FeatureMap(double[] phiSAD, int stateCount, int actionCount, int dimension)
    {
        ArgumentNullException.ThrowIfNull(phiSAD);
        ArgumentOutOfRangeException.ThrowIfLessThan(stateCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (phiSAD.LongLength != (long)stateCount * actionCount * dimension)
            throw new ArgumentException($"features have {phiSAD.LongLength} values, expected S*A*d = {stateCount}*{actionCount}*{dimension}", nameof(phiSAD));
        for (int s = 0; s < stateCount; s++)
            for (int a = 0; a < actionCount; a++)
            {
                double squared = 0;
                for (int k = 0; k < dimension; k++)
                {
                    double x = phiSAD[(s * actionCount + a) * dimension + k];
                    if (!double.IsFinite(x))
                        throw new ArgumentException($"feature phi(s={s}, a={a})[{k}] is {x} (features must be finite)", nameof(phiSAD));
                    squared += x * x;
                }
                if (Math.Sqrt(squared) > 1 + NormTolerance)
                    throw new ArgumentException(FormattableString.Invariant($"feature phi(s={s}, a={a}) has norm {Math.Sqrt(squared):R} > 1 (a linear MDP needs ||phi|| <= 1)"), nameof(phiSAD));
            }
        _phiSAD = (double[])phiSAD.Clone();
        StateCount = stateCount;
        ActionCount = actionCount;
        Dimension = dimension;
    }

    /// <summary>S.</summary>
    public int StateCount { get; }

    /// <summary>A.</summary>
    public int ActionCount { get; }

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>[S*A*d] all features, row-major over (s, a, k).</summary>
    public ReadOnlySpan<double> Values => _phiSAD;

    /// <summary>[d] phi(s,a).</summary>
    public ReadOnlySpan<double> Of(int s, int a) => _phiSAD.AsSpan((s * ActionCount + a) * Dimension, Dimension);

    /// <summary>[A*d] phi(s,.) for every action, the layout a choice observation takes.</summary>
    public ReadOnlySpan<double> OfState(int s) => _phiSAD.AsSpan(s * ActionCount * Dimension, ActionCount * Dimension);

    /// <summary>phi(s,a)^T theta.</summary>
    /// <param name="s">State.</param>
    /// <param name="a">Action.</param>
    /// <param name="theta">[d] parameter.</param>
    public double Dot(int s, int a, ReadOnlySpan<double> theta)
    {
        var phi = Of(s, a);
        double total = 0;
        for (int k = 0; k < phi.Length; k++) total += phi[k] * theta[k];
        return total;
    }

    /// <summary>[S*A] phi(s,a)^T theta for every pair, written into <paramref name="qSA"/>.</summary>
    public void Apply(ReadOnlySpan<double> theta, Span<double> qSA)
    {
        if (theta.Length != Dimension) throw new ArgumentException($"theta has {theta.Length} entries, the features have d = {Dimension}", nameof(theta));
        if (qSA.Length != StateCount * ActionCount) throw new ArgumentException($"output has {qSA.Length} entries, expected S*A = {StateCount * ActionCount}", nameof(qSA));
        for (int s = 0; s < StateCount; s++)
            for (int a = 0; a < ActionCount; a++) qSA[s * ActionCount + a] = Dot(s, a, theta);
    }
}
