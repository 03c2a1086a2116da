using TabularRL.Theory.Data;
using TabularRL.Theory.Estimation;

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

    /// <summary>
    /// The choices of stage <paramref name="stage"/> as multinomial-logit data: for episode i, phi(s_h^i, a) for the
    /// actions 0..<paramref name="choiceSetSize"/>-1 of the choice set, and the action a_h^i taken.
    /// </summary>
    /// <remarks>What DCPPO step 1 and log-linear behaviour cloning both fit (THEORY.md sections 5 and 6).</remarks>
    /// <param name="trajectories">Episodes at least <paramref name="stage"/> + 1 steps long.</param>
    /// <param name="stage">h.</param>
    /// <param name="choiceSetSize">C in [1, A]: the chooser picked among actions 0..C-1.</param>
    /// <exception cref="ArgumentException">An episode is too short, visits a state outside [0, S) or takes an action outside the choice set.</exception>
    public ChoiceData StageChoices(IReadOnlyList<Trajectory> trajectories, int stage, int choiceSetSize)
    {
        ArgumentNullException.ThrowIfNull(trajectories);
        ArgumentOutOfRangeException.ThrowIfNegative(stage);
        if (choiceSetSize < 1 || choiceSetSize > ActionCount)
            throw new ArgumentOutOfRangeException(nameof(choiceSetSize), choiceSetSize, $"the choice set size must lie in [1, A = {ActionCount}]");
        int n = trajectories.Count, C = choiceSetSize, d = Dimension;
        var featuresNCD = new double[n * C * d];
        var choices = new int[n];
        for (int i = 0; i < n; i++)
        {
            var episode = trajectories[i];
            if (stage >= episode.Length)
                throw new ArgumentException($"trajectory {i} has {episode.Length} steps, no stage {stage}", nameof(trajectories));
            int s = episode.States[stage], a = episode.Actions[stage];
            if (s < 0 || s >= StateCount)
                throw new ArgumentException($"trajectory {i} visits state {s} at stage {stage}, out of range [0, {StateCount})", nameof(trajectories));
            if (a < 0 || a >= C)
                throw new ArgumentException($"trajectory {i} takes action {a} at stage {stage}, outside the choice set [0, {C})", nameof(trajectories));
            OfState(s)[..(C * d)].CopyTo(featuresNCD.AsSpan(i * C * d, C * d));
            choices[i] = a;
        }
        return new ChoiceData(featuresNCD, choices, C, d);
    }
}
