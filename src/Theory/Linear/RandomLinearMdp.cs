namespace TabularRL.Theory.Linear;

/// <summary>Random linear MDPs whose transitions really are linear in the features: each P_h(.|s,a) mixes d base next-state distributions.</summary>
/// <remarks>
/// phi(s,a) is drawn on the probability simplex of R^d (normalised exponentials raised to 1/concentration, so
/// ||phi||_2 &lt;= ||phi||_1 = 1); mu_h(.)[k] is a base distribution over next states with a random support of
/// 1..<c>supportSize</c> states and weights uniform in [0.05, 1]; so P_h(.|s,a) = sum_k phi(s,a)[k] mu_h(.)[k] is a
/// convex combination of distributions. w_h is uniform in [0,1]^d, so r_h(s,a) = &lt;phi, w_h&gt; lies in [0, 1].
/// mu0 is uniform. Deterministic for the state of the generator.
/// </remarks>
public static class RandomLinearMdp
{
    /// <summary>A random linear MDP.</summary>
    /// <param name="random">The generator.</param>
    /// <param name="stateCount">S &gt;= 1.</param>
    /// <param name="actionCount">A &gt;= 1.</param>
    /// <param name="dimension">d &gt;= 1.</param>
    /// <param name="horizon">H &gt;= 1.</param>
    /// <param name="discount">gamma in [0, 1].</param>
    /// <param name="supportSize">Largest support of a base distribution; null means S.</param>
    /// <param name="concentration">Dirichlet-like concentration of the features: 1 is uniform on the simplex, small values put features near the vertices.</param>
    public static LinearMdp Generate(Random random, int stateCount, int actionCount, int dimension, int horizon, double discount,
        int? supportSize = null, double concentration = 1)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(stateCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!(concentration > 0) || double.IsInfinity(concentration)) throw new ArgumentOutOfRangeException(nameof(concentration), concentration, "concentration must be finite and > 0");
        int support = supportSize ?? stateCount;
        if (support < 1 || support > stateCount) throw new ArgumentOutOfRangeException(nameof(supportSize), support, $"support size must lie in [1, S = {stateCount}]");
        int S = stateCount, A = actionCount, d = dimension;
        var phi = new double[S * A * d];
        for (int row = 0; row < S * A; row++) Simplex(random, phi.AsSpan(row * d, d), concentration);
        var features = new FeatureMap(phi, S, A, d);
        var w = new double[horizon * d];
        for (int i = 0; i < w.Length; i++) w[i] = random.NextDouble();
        var mu = new double[horizon * d * S];
        for (int hk = 0; hk < horizon * d; hk++) SparseDistribution(random, mu.AsSpan(hk * S, S), support);
        return new LinearMdp(features, horizon, discount, w, mu);
    }

    /// <summary>A point of the simplex: e_k^(1/c) normalised, with e_k standard exponential (c = 1 is uniform, a flat Dirichlet).</summary>
    public static void Simplex(Random random, Span<double> x, double concentration = 1)
    {
        double total = 0;
        for (int k = 0; k < x.Length; k++) total += x[k] = Math.Pow(-Math.Log(1 - random.NextDouble()), 1 / concentration);
        for (int k = 0; k < x.Length; k++) x[k] /= total;
    }

    /// <summary>A distribution on 1..<paramref name="maxSupport"/> random states with weights uniform in [0.05, 1], normalised.</summary>
    public static void SparseDistribution(Random random, Span<double> p, int maxSupport)
    {
        int S = p.Length;
        int count = random.Next(1, maxSupport + 1);
        var states = new int[S];
        for (int s = 0; s < S; s++) states[s] = s;
        for (int i = 0; i < count; i++) // partial Fisher-Yates: the first count entries are a uniform random subset
        {
            int j = random.Next(i, S);
            (states[i], states[j]) = (states[j], states[i]);
        }
        p.Clear();
        double total = 0;
        for (int i = 0; i < count; i++) total += p[states[i]] = 0.05 + 0.95 * random.NextDouble();
        for (int i = 0; i < count; i++) p[states[i]] /= total;
    }
}
