using TabularRL.Engine.Model;

namespace TabularRL.Theory.Linear;

/// <summary>
/// An episodic linear MDP (THEORY.md section 5): known features phi(s,a) in R^d, horizon H, discount gamma, and per stage
/// h a reward weight w_h in R^d and transition measures mu_h(s') in R^d with
/// r_h(s,a) = &lt;phi(s,a), w_h&gt; and P_h(s'|s,a) = &lt;phi(s,a), mu_h(s')&gt;.
/// </summary>
/// <remarks>
/// Validated on construction: every row P_h(.|s,a) must be a probability distribution (entries &gt;= -1e-9, rounding
/// below 0 is set to 0; sums within 1e-9 of 1), rewards finite. Immutable. The tabular model is the special case of
/// one-hot features, d = S*A (<see cref="OneHot"/>).
/// </remarks>
public sealed class LinearMdp
{
    /// <summary>How far a transition row may sum from 1, and how far below 0 an entry may round.</summary>
    public const double RowTolerance = 1e-9;

    private readonly double[] _wHD;
    private readonly double[] _muHDS;
    private readonly double[] _mu0;
    private readonly double[] _pHSAS;
    private readonly double[] _rHSA;

    /// <summary>Validates the parameters and computes the tabular transitions and rewards they imply.</summary>
    /// <param name="features">phi.</param>
    /// <param name="horizon">H &gt;= 1.</param>
    /// <param name="discount">gamma in [0, 1].</param>
    /// <param name="wHD">[H*d] reward weights w_h, row-major over (h, k).</param>
    /// <param name="muHDS">[H*d*S] transition measures, row-major over (h, k, s'): mu_h(s')[k] = muHDS[(h*d + k)*S + s'].</param>
    /// <param name="initialDistribution">[S] mu0, a distribution; null means uniform.</param>
    /// <exception cref="ArgumentException">A shape or range is wrong, or some P_h(.|s,a) is not a distribution (naming (h,s,a) and the value).</exception>
    public LinearMdp(FeatureMap features, int horizon, double discount, double[] wHD, double[] muHDS, double[]? initialDistribution = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(wHD);
        ArgumentNullException.ThrowIfNull(muHDS);
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "horizon must be >= 1");
        if (!(discount >= 0 && discount <= 1)) throw new ArgumentOutOfRangeException(nameof(discount), discount, "discount must lie in [0, 1]");
        int S = features.StateCount, A = features.ActionCount, d = features.Dimension, H = horizon;
        if (wHD.Length != H * d) throw new ArgumentException($"reward weights have {wHD.Length} values, expected H*d = {H}*{d}", nameof(wHD));
        if (muHDS.LongLength != (long)H * d * S) throw new ArgumentException($"transition measures have {muHDS.LongLength} values, expected H*d*S = {H}*{d}*{S}", nameof(muHDS));
        for (int i = 0; i < wHD.Length; i++)
            if (!double.IsFinite(wHD[i])) throw new ArgumentException($"reward weight w_h={i / d}[{i % d}] is {wHD[i]} (must be finite)", nameof(wHD));
        for (long i = 0; i < muHDS.LongLength; i++)
            if (!double.IsFinite(muHDS[i])) throw new ArgumentException($"transition measure mu_h={i / ((long)d * S)}(s'={i % S})[{i / S % d}] is {muHDS[i]} (must be finite)", nameof(muHDS));
        Features = features;
        Horizon = H;
        Discount = discount;
        _wHD = (double[])wHD.Clone();
        _muHDS = (double[])muHDS.Clone();
        _mu0 = ValidatedInitial(initialDistribution, S);
        _pHSAS = Transitions(features, H, _muHDS);
        _rHSA = new double[H * S * A];
        for (int h = 0; h < H; h++) features.Apply(_wHD.AsSpan(h * d, d), _rHSA.AsSpan(h * S * A, S * A));
    }

    /// <summary>phi.</summary>
    public FeatureMap Features { get; }

    /// <summary>S.</summary>
    public int StateCount => Features.StateCount;

    /// <summary>A.</summary>
    public int ActionCount => Features.ActionCount;

    /// <summary>d.</summary>
    public int Dimension => Features.Dimension;

    /// <summary>H.</summary>
    public int Horizon { get; }

    /// <summary>gamma.</summary>
    public double Discount { get; }

    /// <summary>[H*d] w_h.</summary>
    public ReadOnlySpan<double> RewardWeights => _wHD;

    /// <summary>[d] w_h of stage <paramref name="h"/>.</summary>
    public ReadOnlySpan<double> RewardWeightsAt(int h) => _wHD.AsSpan(h * Dimension, Dimension);

    /// <summary>[H*d*S] mu_h(s')[k] at index (h*d + k)*S + s'.</summary>
    public ReadOnlySpan<double> TransitionMeasures => _muHDS;

    /// <summary>[S] mu0.</summary>
    public ReadOnlySpan<double> InitialDistribution => _mu0;

    /// <summary>[H*S*A*S] P_h(s'|s,a) = &lt;phi(s,a), mu_h(s')&gt;.</summary>
    public ReadOnlySpan<double> TransitionsHSAS => _pHSAS;

    /// <summary>[H*S*A] r_h(s,a) = &lt;phi(s,a), w_h&gt;.</summary>
    public ReadOnlySpan<double> RewardsHSA => _rHSA;

    /// <summary>The finite-horizon tabular model with stage-dependent [H,S,A,S] transitions and [H,S,A] rewards.</summary>
    public Mdp ToTabular()
    {
        int S = StateCount, A = ActionCount;
        return new MdpBuilder
        {
            StateCount = S,
            ActionCount = A,
            Discount = Discount,
            Horizon = Horizon,
            DenseTransitions = (double[])_pHSAS.Clone(),
            DenseTransitionsShape = [Horizon, S, A, S],
            // Rewards go in through WithExpectedRewards: MdpBuilder reads a 3-axis shape (H, S, A) as [S,A,S] when
            // H = S = A, which would take r_h(s,a) for a reward of the next state.
            Rewards = new double[S * A],
            RewardsShape = [S, A],
            InitialDistribution = (double[])_mu0.Clone(),
        }.Build().WithExpectedRewards(_rHSA);
    }

    /// <summary>The tabular model as a linear MDP with one-hot features phi(s,a) = e_{s*A+a}, d = S*A.</summary>
    /// <remarks>Then w_h[s*A+a] = r_h(s,a) and mu_h(s')[s*A+a] = P_h(s'|s,a): every tabular model is linear in these features.</remarks>
    /// <param name="mdp">A finite-horizon model.</param>
    /// <exception cref="ArgumentException">The model has no horizon.</exception>
    public static LinearMdp OneHot(Mdp mdp)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        int H = mdp.Horizon ?? throw new ArgumentException("a linear MDP is episodic; the model has no horizon", nameof(mdp));
        int S = mdp.StateCount, A = mdp.ActionCount, d = S * A;
        var phi = new double[S * A * d];
        for (int k = 0; k < d; k++) phi[k * d + k] = 1;
        var w = new double[H * d];
        var mu = new double[H * d * S];
        for (int h = 0; h < H; h++)
        {
            mdp.ExpectedRewardsAt(h).Span.CopyTo(w.AsSpan(h * d, d));
            var rows = mdp.TransitionsAt(h);
            var pointers = rows.RowPointers.Span;
            var columns = rows.Columns.Span;
            var values = rows.Values.Span;
            for (int k = 0; k < d; k++)
                for (long e = pointers[k]; e < pointers[k + 1]; e++)
                    mu[(h * d + k) * S + columns[(int)e]] += values[(int)e];
        }
        return new LinearMdp(new FeatureMap(phi, S, A, d), H, mdp.Discount, w, mu, mdp.InitialDistribution.ToArray());
    }

    private static double[] Transitions(FeatureMap features, int H, double[] muHDS)
    {
        int S = features.StateCount, A = features.ActionCount, d = features.Dimension;
        var p = new double[(long)H * S * A * S];
        for (int h = 0; h < H; h++)
            for (int s = 0; s < S; s++)
                for (int a = 0; a < A; a++)
                {
                    var phi = features.Of(s, a);
                    var row = p.AsSpan(((h * S + s) * A + a) * S, S);
                    for (int k = 0; k < d; k++)
                    {
                        if (phi[k] == 0) continue;
                        var mu = muHDS.AsSpan((h * d + k) * S, S);
                        for (int next = 0; next < S; next++) row[next] += phi[k] * mu[next];
                    }
                    double sum = 0;
                    for (int next = 0; next < S; next++)
                    {
                        if (row[next] < -RowTolerance)
                            throw new ArgumentException(FormattableString.Invariant($"P_h(s'|s,a) at (h={h}, s={s}, a={a}, s'={next}) is {row[next]:R} < 0: <phi(s,a), mu_h(s')> must be a probability"), nameof(muHDS));
                        if (row[next] < 0) row[next] = 0; // rounding of an exact zero
                        sum += row[next];
                    }
                    if (Math.Abs(sum - 1) > RowTolerance)
                        throw new ArgumentException(FormattableString.Invariant($"P_h(.|s,a) at (h={h}, s={s}, a={a}) sums to {sum:R}, not 1: <phi(s,a), sum_s' mu_h(s')> must be 1"), nameof(muHDS));
                }
        return p;
    }

    private static double[] ValidatedInitial(double[]? mu0, int S)
    {
        if (mu0 is null)
        {
            var uniform = new double[S];
            Array.Fill(uniform, 1.0 / S);
            return uniform;
        }
        if (mu0.Length != S) throw new ArgumentException($"initial distribution has {mu0.Length} entries, expected S = {S}", "initialDistribution");
        double sum = 0;
        for (int s = 0; s < S; s++)
        {
            if (!double.IsFinite(mu0[s]) || mu0[s] < 0) throw new ArgumentException($"initial distribution mu0(s={s}) is {mu0[s]} (must be finite and >= 0)", "initialDistribution");
            sum += mu0[s];
        }
        if (Math.Abs(sum - 1) > RowTolerance) throw new ArgumentException(FormattableString.Invariant($"initial distribution sums to {sum:R}, not 1"), "initialDistribution");
        return (double[])mu0.Clone();
    }
}
