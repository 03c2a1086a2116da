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
}
