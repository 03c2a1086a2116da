namespace TabularRL.Theory.Canonicalisation;

/// <summary>The distributions D_S over states and D_A over actions that EPIC and DARD average with (uniform by default).</summary>
/// <param name="States">[S] D_S.</param>
/// <param name="Actions">[A] D_A.</param>
public sealed record CoverageDistributions(double[] States, double[] Actions)
{
    /// <summary>Uniform D_S and D_A.</summary>
    public static CoverageDistributions Uniform(int stateCount, int actionCount)
        => new(Enumerable.Repeat(1.0 / stateCount, stateCount).ToArray(), Enumerable.Repeat(1.0 / actionCount, actionCount).ToArray());

    /// <summary>D(s,a,s') = D_S(s) D_A(a) D_S(s'), the weight of a triple in the Pearson distance, index (s*A + a)*S + s'.</summary>
    public double[] TripleWeights()
    {
        int S = States.Length, A = Actions.Length;
        var weights = new double[(long)S * A * S];
        long i = 0;
        for (int s = 0; s < S; s++)
            for (int a = 0; a < A; a++)
                for (int next = 0; next < S; next++)
                    weights[i++] = States[s] * Actions[a] * States[next];
        return weights;
    }

    /// <summary>Throws unless both are distributions of the right lengths.</summary>
    public void Validate(int stateCount, int actionCount)
    {
        Check(States, stateCount, "state");
        Check(Actions, actionCount, "action");
    }

    private static void Check(double[] p, int count, string what)
    {
        if (p.Length != count)
            throw new ArgumentException($"the {what} distribution has {p.Length} entries, expected {count}");
        double sum = 0;
        foreach (double x in p)
        {
            if (!(x >= 0) || !double.IsFinite(x))
                throw new ArgumentException($"the {what} distribution has an entry {x}; entries must be finite and >= 0");
            sum += x;
        }
        if (Math.Abs(sum - 1) > 1e-9)
            throw new ArgumentException($"the {what} distribution sums to {sum}, not 1");
    }
}
