using TabularRL.Theory.Linear;

namespace TabularRL.Theory.Dcppo;

/// <summary>Random linear MDPs with an action the human never takes whose feature points along a direction the human's data never cover.</summary>
/// <remarks>
/// The human chooses among actions 0..A-2; action A-1 is new to the learner. Coordinates 0 and 1 of the features are a
/// "bad" and a "good" base: w_h[0] = 0, w_h[1] = 1, and w_h[k] uniform in [0, 0.5] for k &gt;= 2. Every human action has
/// phi = (z_0/2, z_0/2, z_1, ..., z_{d-2}) with z uniform on the simplex, so phi[0] = phi[1] and the direction
/// e_0 - e_1 is orthogonal to every feature in the data: Lambda_h has only the ridge l there, whatever n. The new action
/// has phi = e_0. Its least-squares estimate is the projection onto the covered span, i.e. the value of
/// (e_0 + e_1)/2, which averages the good base with the bad one and so overestimates it by about
/// (w_1 - w_0)/2 = 1/2 plus half the difference of the next values; its penalty is at least beta sqrt(1/(2l)).
/// Transition bases mu_h(.)[k] are sparse random distributions as in <see cref="RandomLinearMdp"/>; mu0 is uniform.
/// </remarks>
public static class UncoveredDirectionMdp
{
    /// <summary>One instance; needs d &gt;= 3 and A &gt;= 2.</summary>
    public static LinearMdp Generate(Random random, int stateCount, int actionCount, int dimension, int horizon, double discount, int supportSize)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (dimension < 3) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "needs d >= 3 (a bad base, a good base and one more)");
        if (actionCount < 2) throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "needs A >= 2 (a human action and the new one)");
        int S = stateCount, A = actionCount, d = dimension;
        var phi = new double[S * A * d];
        var z = new double[d - 1];
        for (int s = 0; s < S; s++)
        {
            for (int a = 0; a < A - 1; a++)
            {
                RandomLinearMdp.Simplex(random, z);
                var row = phi.AsSpan((s * A + a) * d, d);
                row[0] = row[1] = z[0] / 2;
                for (int k = 1; k < d - 1; k++) row[k + 1] = z[k];
            }
            phi[(s * A + A - 1) * d] = 1;
        }
        var w = new double[horizon * d];
        for (int h = 0; h < horizon; h++)
        {
            w[h * d] = 0;
            w[h * d + 1] = 1;
            for (int k = 2; k < d; k++) w[h * d + k] = 0.5 * random.NextDouble();
        }
        var mu = new double[horizon * d * S];
        for (int hk = 0; hk < horizon * d; hk++) RandomLinearMdp.SparseDistribution(random, mu.AsSpan(hk * S, S), supportSize);
        return new LinearMdp(new FeatureMap(phi, S, A, d), horizon, discount, w, mu);
    }
}
