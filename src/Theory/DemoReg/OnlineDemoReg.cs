using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Theory.Data;

namespace TabularRL.Theory.DemoReg;

/// <summary>Settings of the online demonstration-regularised exploration (<see cref="OnlineDemoReg"/>).</summary>
public sealed record OnlineDemoRegOptions
{
    /// <summary>lambda &gt; 0, the KL coefficient.</summary>
    public required double Lambda { get; init; }

    /// <summary>pi_BC, the [H,S,A] (or stationary) reference policy.</summary>
    public required Policy Reference { get; init; }

    /// <summary>eps_RL &gt; 0: stop once the certified regularised gap at mu0 is at most this.</summary>
    public required double Target { get; init; }

    /// <summary>delta in (0, 1), the confidence level of the bonuses.</summary>
    public double Delta { get; init; } = 0.1;

    /// <summary>Episode cap: reaching it without meeting <see cref="Target"/> is reported as not stopped.</summary>
    public int MaxEpisodes { get; init; } = 1_000_000;
}

/// <summary>What the online algorithm returned.</summary>
/// <param name="Policy">The optimistic policy of the last plan, [H,S,A].</param>
/// <param name="Episodes">Episodes sampled from the true model.</param>
/// <param name="CertifiedGap">min(Upper - Lower, the quadratic certificate): the certified bound on J_lambda* - J_lambda(Policy).</param>
/// <param name="Upper">mu0 . Vbar_0, an upper confidence bound on J_lambda*.</param>
/// <param name="Lower">mu0 . Vlow_0, a lower confidence bound on J_lambda(Policy).</param>
/// <param name="Stopped">Whether the stopping rule fired (false: the episode cap was reached first).</param>
public sealed record OnlineDemoRegResult(Policy Policy, int Episodes, double CertifiedGap, double Upper, double Lower, bool Stopped);

/// <summary>
/// Best-policy identification for the KL-regularised objective J_lambda(pi) = V^pi(mu0) - lambda KL_traj(pi || pi_BC)
/// by optimistic exploration, in the style of UCBVI-Ent+ (THEORY.md section 6; Tiapkin et al. 2023, arXiv 2310.17303).
/// </summary>
/// <remarks>
/// <para>The agent knows the rewards r_h(s,a), mu0 and the horizon; it learns the transitions from episodes of the true
/// model, counting n_h(s,a) and the next states to form the empirical P_hat_h.</para>
/// <para>Before every episode it plans twice on P_hat (the form implemented; THEORY.md marks the bonuses as reconstructed
/// and the paper's exact bonus constants could not be checked against its full text here, only its abstract and overview):</para>
/// <list type="bullet">
/// <item>Upper: Qbar_h = min(r_h + gamma U_{h+1}, r_h + gamma (P_hat_h Vbar_{h+1} + b_h)), Vbar_h(s) = lambda log sum_a pi_BC,h(a|s) exp(Qbar_h(s,a)/lambda)
/// (unvisited pairs take the cap), and the played policy pi_hat_h = pi_BC,h exp((Qbar_h - Vbar_h)/lambda) (section 2's KL backup).</item>
/// <item>Lower, a pessimistic evaluation of pi_hat itself: Qlow_h = max(r_h + gamma F_{h+1}, r_h + gamma (P_hat_h Vlow_{h+1} - b_h)),
/// Vlow_h(s) = sum_a pi_hat(a|s) Qlow_h(s,a) - lambda KL(pi_hat_h(s) || pi_BC,h(s)).</item>
/// <item>Bonus b_h(s,a) = D_{h+1} (sqrt(L/n) + (H-h-1) S L/n), L = ln(2 S A H n(n+1)/delta): THEORY.md's H sqrt(L/n) + H^2 S L/n with
/// the span D_{h+1} of the next-stage values in place of H (so that rewards of any scale work; D = H-h-1 for rewards in
/// [0,1]) and the remaining horizon H-h-1 in place of the second H.</item>
/// <item>Ranges: U_h = sum_{j&gt;=h} gamma^{j-h} max r_j bounds every regularised value from above (KL &gt;= 0); m_h = sum gamma^{j-h} min r_j
/// bounds J_lambda* from below (pi_BC itself has zero KL); F_h = min_s [pi_hat_h r_h(s) - lambda KL_h(s)] + gamma F_{h+1} bounds
/// the regularised value of pi_hat from below. Bonuses use the spans U - m (upper) and U - F (lower).</item>
/// <item>Two certificates of J_lambda* - J_lambda(pi_hat). Linear: mu0 . (Vbar_0 - Vlow_0). Quadratic (the fast rate of
/// regularised BPI that UCBVI-Ent+ exploits): by the performance-difference lemma of the regularised MDP,
/// J_lambda* - J_lambda(pi_hat) = E_{pi*} sum_h gamma^h g_h(s_h) with g = max_p [&lt;p - pi_hat, Delta&gt; - lambda KL(p || pi_hat)]
/// = lambda log E_{pi_hat} e^{Delta/lambda} - E_{pi_hat} Delta, Delta = Q^{pi_hat}_lambda - Qbar (because pi_hat is the Gibbs
/// policy of Qbar). On the confidence event Qlow &lt;= Q^{pi_hat}_lambda &lt;= Qbar, so Delta &lt;= 0 and
/// e^x &lt;= 1 + x + x^2/2 for x &lt;= 0 gives g &lt;= E_{pi_hat}(Qbar - Qlow)^2/(2 lambda); the unknown state law of pi* is
/// replaced by the worst state, so the certificate is sum_h gamma^h max_s E_{pi_hat_h(s)}(Qbar_h - Qlow_h)^2/(2 lambda).
/// It shrinks like 1/(lambda n) instead of 1/sqrt(n).</item>
/// <item>Stopping rule: stop as soon as the smaller certificate is &lt;= eps_RL and return pi_hat with it as the certified gap.</item>
/// </list>
/// <para>Validity. The first bonus term alone is Hoeffding's bound, union-bounded over (h,s,a) and every count n, for the fixed
/// function V*_lambda,h+1, so Vbar &gt;= V*_lambda with probability 1 - delta. pi_hat depends on the data, so bounding
/// (P_hat - P) V^{pi_hat} needs more: the paper's analysis pays for it with the second, H^2 S L/n, term (a Bernstein-type
/// argument with a (1 + 1/H) inflation that this implementation does not reproduce). The lower side is therefore the
/// standard heuristic form, and the property tests check numerically that the certified gap bounds the true regularised gap.</para>
/// </remarks>
public static class OnlineDemoReg
{
    /// <summary>Explores <paramref name="mdp"/> until the certified regularised gap is at most <see cref="OnlineDemoRegOptions.Target"/>.</summary>
    /// <param name="mdp">The true finite-horizon model: episodes are drawn from it; the agent reads only its rewards and mu0.</param>
    /// <param name="options">lambda, pi_BC, eps_RL, delta and the episode cap.</param>
    /// <param name="random">The generator of the episodes.</param>
    public static OnlineDemoRegResult Run(Mdp mdp, OnlineDemoRegOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        var model = DenseStages.Of(mdp);
        if (!(options.Lambda > 0) || double.IsInfinity(options.Lambda)) throw new ArgumentOutOfRangeException(nameof(options), options.Lambda, "Lambda must be finite and > 0");
        if (!(options.Target > 0) || double.IsInfinity(options.Target)) throw new ArgumentOutOfRangeException(nameof(options), options.Target, "Target (eps_RL) must be finite and > 0");
        if (!(options.Delta > 0 && options.Delta < 1)) throw new ArgumentOutOfRangeException(nameof(options), options.Delta, "Delta must lie in (0, 1)");
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxEpisodes, nameof(options.MaxEpisodes));
        ArgumentNullException.ThrowIfNull(options.Reference, nameof(options.Reference));
        options.Reference.CheckFits(mdp, "Reference");

        var planner = new Planner(model, options.Reference, options.Lambda, options.Delta);
        int H = model.Horizon, S = model.StateCount, A = model.ActionCount;
        for (int episode = 0; ; episode++)
        {
            planner.Plan();
            double gap = Math.Min(planner.Upper - planner.Lower, planner.QuadraticGap);
            bool stopped = gap <= options.Target;
            if (stopped || episode == options.MaxEpisodes)
                return new OnlineDemoRegResult(planner.PolicyOf(), episode, gap, planner.Upper, planner.Lower, stopped);
            int s = TrajectorySampler.Categorical(model.InitialS, random);
            for (int h = 0; h < H; h++)
            {
                int a = TrajectorySampler.Categorical(planner.PolicyHSA.AsSpan((h * S + s) * A, A), random);
                int next = TrajectorySampler.NextState(mdp, h, s * A + a, random);
                planner.Record(h, s, a, next);
                s = next;
            }
        }
    }

    /// <summary>The counts, empirical model and the two backward passes; buffers are reused across episodes.</summary>
    private sealed class Planner
    {
        private readonly DenseStages _model;
        private readonly double[] _logReferenceHSA;
        private readonly double _lambda, _logTwoSahOverDelta;
        private readonly int[] _visitsHSA;
        private readonly int[] _nextHSAS;
        private readonly double[] _upperBoundH, _lowerOptimalH, _floorH;
        private readonly double[] _qUpperHSA, _qLowerSA, _vUpperHS, _vLowerHS, _klHS;

        public Planner(DenseStages model, Policy reference, double lambda, double delta)
        {
            _model = model;
            int H = model.Horizon, S = model.StateCount, A = model.ActionCount;
            _lambda = lambda;
            _logTwoSahOverDelta = Math.Log(2.0 * S * A * H / delta);
            _logReferenceHSA = new double[H * S * A];
            for (int h = 0; h < H; h++)
            {
                var row = reference.At(h).Span;
                for (int i = 0; i < S * A; i++) _logReferenceHSA[h * S * A + i] = row[i] > 0 ? Math.Log(row[i]) : double.NegativeInfinity;
            }
            _visitsHSA = new int[H * S * A];
            _nextHSAS = new int[H * S * A * S];
            _upperBoundH = new double[H + 1];
            _lowerOptimalH = new double[H + 1];
            _floorH = new double[H + 1];
            for (int h = H - 1; h >= 0; h--)
            {
                var r = model.RewardsHSA.AsSpan(h * S * A, S * A);
                _upperBoundH[h] = Max(r) + model.Discount * _upperBoundH[h + 1];
                _lowerOptimalH[h] = Min(r) + model.Discount * _lowerOptimalH[h + 1];
            }
            PolicyHSA = new double[H * S * A];
            _qUpperHSA = new double[H * S * A];
            _qLowerSA = new double[S * A];
            _vUpperHS = new double[(H + 1) * S];
            _vLowerHS = new double[(H + 1) * S];
            _klHS = new double[H * S];
        }

        /// <summary>[H*S*A] pi_hat of the last plan.</summary>
        public double[] PolicyHSA { get; }

        public double Upper { get; private set; }

        public double Lower { get; private set; }

        public double QuadraticGap { get; private set; }

        public void Record(int h, int s, int a, int next)
        {
            int row = (h * _model.StateCount + s) * _model.ActionCount + a;
            _visitsHSA[row]++;
            _nextHSAS[row * _model.StateCount + next]++;
        }

        public Policy PolicyOf() => Policy.FromProbabilities(PolicyHSA, _model.Horizon, _model.StateCount, _model.ActionCount, 1e-8, "pi_hat");

        public void Plan()
        {
            int H = _model.Horizon, S = _model.StateCount, A = _model.ActionCount;
            double gamma = _model.Discount;
            // Upper pass: optimistic KL backup; it also fixes pi_hat at every stage.
            for (int h = H - 1; h >= 0; h--)
            {
                double span = _upperBoundH[h + 1] - _lowerOptimalH[h + 1];
                for (int sa = 0; sa < S * A; sa++)
                {
                    int row = h * S * A + sa;
                    double r = _model.RewardsHSA[row], cap = r + gamma * _upperBoundH[h + 1];
                    int n = _visitsHSA[row];
                    _qUpperHSA[row] = n == 0 ? cap : Math.Min(cap, r + gamma * (Empirical(row, _vUpperHS, h + 1) + Bonus(span, H - h - 1, n)));
                }
                for (int s = 0; s < S; s++)
                    _vUpperHS[h * S + s] = KlBackup(_qUpperHSA.AsSpan((h * S + s) * A, A), _logReferenceHSA.AsSpan((h * S + s) * A, A), PolicyHSA.AsSpan((h * S + s) * A, A), out _klHS[h * S + s]);
            }
            // Floors of pi_hat's regularised values: F_h = min_s [sum_a pi_hat r_h - lambda KL_h(s)] + gamma F_{h+1}.
            for (int h = H - 1; h >= 0; h--)
            {
                double worst = double.PositiveInfinity;
                for (int s = 0; s < S; s++)
                {
                    double expected = 0;
                    for (int a = 0; a < A; a++) expected += PolicyHSA[(h * S + s) * A + a] * _model.RewardsHSA[(h * S + s) * A + a];
                    worst = Math.Min(worst, expected - _lambda * _klHS[h * S + s]);
                }
                _floorH[h] = worst + gamma * _floorH[h + 1];
            }
            // Lower pass: pessimistic evaluation of pi_hat, and the quadratic certificate of each stage.
            double quadratic = 0;
            for (int h = H - 1; h >= 0; h--)
            {
                double worstSpread = 0;
                double span = _upperBoundH[h + 1] - _floorH[h + 1];
                for (int sa = 0; sa < S * A; sa++)
                {
                    int row = h * S * A + sa;
                    double r = _model.RewardsHSA[row], floor = r + gamma * _floorH[h + 1];
                    int n = _visitsHSA[row];
                    _qLowerSA[sa] = n == 0 ? floor : Math.Max(floor, r + gamma * (Empirical(row, _vLowerHS, h + 1) - Bonus(span, H - h - 1, n)));
                }
                for (int s = 0; s < S; s++)
                {
                    double value = -_lambda * _klHS[h * S + s];
                    double spread = 0;
                    for (int a = 0; a < A; a++)
                    {
                        double p = PolicyHSA[(h * S + s) * A + a], width = _qUpperHSA[(h * S + s) * A + a] - _qLowerSA[s * A + a];
                        value += p * _qLowerSA[s * A + a];
                        spread += p * width * width;
                    }
                    _vLowerHS[h * S + s] = value;
                    worstSpread = Math.Max(worstSpread, spread);
                }
                quadratic += Math.Pow(gamma, h) * worstSpread / (2 * _lambda);
            }
            double upper = 0, lower = 0;
            for (int s = 0; s < S; s++)
            {
                upper += _model.InitialS[s] * _vUpperHS[s];
                lower += _model.InitialS[s] * _vLowerHS[s];
            }
            if (!double.IsFinite(upper) || !double.IsFinite(lower))
                throw new NumericalException($"online demonstration-regularised RL: confidence bounds {upper} and {lower} at mu0");
            Upper = upper;
            Lower = lower;
            QuadraticGap = quadratic;
        }

        // P_hat_h(.|s,a) . V_{h+1} from the counts of the row.
        private double Empirical(int row, double[] vHS, int next)
        {
            int S = _model.StateCount;
            double total = 0;
            for (int s2 = 0; s2 < S; s2++)
            {
                int c = _nextHSAS[row * S + s2];
                if (c != 0) total += c * vHS[next * S + s2];
            }
            return total / _visitsHSA[row];
        }

        // D (sqrt(L/n) + (H-h-1) S L/n) with L = ln(2 S A H n (n+1) / delta).
        private double Bonus(double span, int remaining, int n)
        {
            if (span == 0) return 0;
            double logTerm = _logTwoSahOverDelta + Math.Log(n) + Math.Log(n + 1.0);
            return span * (Math.Sqrt(logTerm / n) + remaining * _model.StateCount * logTerm / n);
        }

        // V = lambda log sum_a ref(a) exp(q(a)/lambda) with the maximum subtracted; writes pi = ref exp((q - V)/lambda) and KL(pi || ref).
        private double KlBackup(ReadOnlySpan<double> q, ReadOnlySpan<double> logReference, Span<double> policy, out double kl)
        {
            double m = double.NegativeInfinity;
            for (int a = 0; a < q.Length; a++)
                if (logReference[a] > double.NegativeInfinity) m = Math.Max(m, q[a]);
            double sum = 0;
            for (int a = 0; a < q.Length; a++)
                sum += policy[a] = logReference[a] > double.NegativeInfinity ? Math.Exp(logReference[a] + (q[a] - m) / _lambda) : 0;
            double value = m + _lambda * Math.Log(sum);
            kl = 0;
            for (int a = 0; a < q.Length; a++)
            {
                policy[a] /= sum;
                // log(pi/ref) = (q - V)/lambda exactly; using it avoids the cancellation of log pi - log ref.
                if (policy[a] > 0) kl += policy[a] * (q[a] - value) / _lambda;
            }
            kl = Math.Max(kl, 0);
            return value;
        }

        private static double Max(ReadOnlySpan<double> x) { double m = double.NegativeInfinity; foreach (var v in x) m = Math.Max(m, v); return m; }

        private static double Min(ReadOnlySpan<double> x) { double m = double.PositiveInfinity; foreach (var v in x) m = Math.Min(m, v); return m; }
    }
}
