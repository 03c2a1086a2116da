using TabularRL.Engine.Model;

namespace TabularRL.Theory.DemoReg;

/// <summary>A finite-horizon model unpacked into dense per-stage arrays: P_h(s'|s,a) as pHSAS and r_h(s,a) as rHSA.</summary>
/// <remarks>
/// The demonstration-regularised algorithms run many small backward and forward recursions on models of a few states;
/// dense arrays keep those loops plain. Only the model's stage-dependent data are copied; nothing is re-validated.
/// </remarks>
internal sealed class DenseStages
{
    private DenseStages(int h, int s, int a, double gamma, double[] pHSAS, double[] rHSA, double[] mu0S)
    {
        Horizon = h;
        StateCount = s;
        ActionCount = a;
        Discount = gamma;
        TransitionsHSAS = pHSAS;
        RewardsHSA = rHSA;
        InitialS = mu0S;
    }

    public int Horizon { get; }
    public int StateCount { get; }
    public int ActionCount { get; }
    public double Discount { get; }

    /// <summary>[H*S*A*S] P_h(s'|s,a).</summary>
    public double[] TransitionsHSAS { get; }

    /// <summary>[H*S*A] expected rewards r_h(s,a).</summary>
    public double[] RewardsHSA { get; }

    /// <summary>[S] mu0.</summary>
    public double[] InitialS { get; }

    /// <summary>The dense form of <paramref name="mdp"/>, which must have a horizon.</summary>
    public static DenseStages Of(Mdp mdp, string parameterName = "mdp")
    {
        ArgumentNullException.ThrowIfNull(mdp, parameterName);
        int H = mdp.Horizon ?? throw new ArgumentException("demonstration-regularised RL needs a finite-horizon model (set Horizon)", parameterName);
        int S = mdp.StateCount, A = mdp.ActionCount;
        var p = new double[H * S * A * S];
        var r = new double[H * S * A];
        for (int h = 0; h < H; h++)
        {
            var rows = mdp.TransitionsAt(h);
            var pointers = rows.RowPointers.Span;
            var columns = rows.Columns.Span;
            var values = rows.Values.Span;
            for (int row = 0; row < S * A; row++)
                for (long k = pointers[row]; k < pointers[row + 1]; k++)
                    p[((long)h * S * A + row) * S + columns[(int)k]] += values[(int)k];
            mdp.ExpectedRewardsAt(h).Span.CopyTo(r.AsSpan(h * S * A, S * A));
        }
        return new DenseStages(H, S, A, mdp.Discount, p, r, mdp.InitialDistribution.ToArray());
    }

    /// <summary>d_h(s) = P(s_h = s) under <paramref name="policy"/> for h = 0..H-1, by the forward recursion
    /// d_0 = mu0, d_{h+1}(s') = sum_{s,a} d_h(s) pi_h(a|s) P_h(s'|s,a).</summary>
    /// <returns>[H*S] state distributions.</returns>
    public double[] StateDistributions(Policy policy)
    {
        int H = Horizon, S = StateCount, A = ActionCount;
        var dHS = new double[H * S];
        InitialS.CopyTo(dHS, 0);
        for (int h = 0; h + 1 < H; h++)
        {
            var pi = policy.At(h).Span;
            for (int s = 0; s < S; s++)
            {
                double mass = dHS[h * S + s];
                if (mass == 0) continue;
                for (int a = 0; a < A; a++)
                {
                    double w = mass * pi[s * A + a];
                    if (w == 0) continue;
                    int row = ((h * S + s) * A + a) * S;
                    for (int next = 0; next < S; next++) dHS[(h + 1) * S + next] += w * TransitionsHSAS[row + next];
                }
            }
        }
        return dHS;
    }
}
