using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using TabularRL.Engine.Model;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Canonicalisation;

/// <summary>
/// The canonicalisation of least (weighted) L2 norm: c_min(R) = argmin { ||R'|| : R' in R + N }, in closed form
/// (THEORY.md section 3).
/// </summary>
/// <remarks>
/// R' is in R + N exactly when its expected reward is m_Phi(s,a) = rbar(s,a) + gamma (tau Phi)(s,a) - Phi(s) for some
/// potential Phi. For the norm ||R'||^2 = sum omega(s,a,s') R'(s,a,s')^2 (omega = 1: the unweighted norm of the
/// STARC paper), the least-norm R'(s,a,.) with expectation m under tau(s,a) is
/// m w(s,a) tau(s'|s,a) / omega(s,a,s'), with w(s,a) = 1 / sum_s' tau(s'|s,a)^2 / omega(s,a,s') and squared norm
/// w m^2. So Phi* minimises sum_{s,a} w(s,a) m_Phi(s,a)^2, a weighted least-squares problem in S unknowns, and
/// c_min(R)(s,a,s') = w(s,a) tau(s'|s,a) m_Phi*(s,a) / omega(s,a,s'), zero where tau = 0. With omega = 1 this is
/// THEORY.md's form w = 1 / ||tau(s,a,.)||_2^2. The least-squares matrix [sqrt(w) (gamma tau - E)] has full column
/// rank for gamma &lt; 1 (each state's block contains I - gamma P_pi for any pi), so Phi* is unique; it is factorised
/// once (Householder QR, MathNet) and every reward costs two triangular solves. (The STARC authors' experiment code
/// finds the minimum by gradient descent; the closed form is exact and is checked against an independent projection
/// onto N in tests/interop/check_rewards.py.)
/// </remarks>
public sealed class MinimalCanonicalisation : ICanonicalisation
{
    private readonly Mdp _mdp;
    private readonly double[]? _weights;
    private readonly double[] _rowWeights;
    private readonly QR<double> _factor;

    /// <summary>c_min on <paramref name="mdp"/> for the L2 norm weighted by <paramref name="weights"/> (null: unweighted).</summary>
    /// <param name="mdp">An infinite-horizon model.</param>
    /// <param name="weights">
    /// omega(s,a,s') as a reward-shaped array, &gt; 0 on possible transitions and &gt;= 0 elsewhere (omega = tau, the
    /// transition-weighted norm of the STARC authors' experiments, is allowed), or null for omega = 1.
    /// </param>
    public MinimalCanonicalisation(Mdp mdp, TransitionReward? weights = null)
    {
        TheoryModels.RequireDiscounted(mdp);
        _mdp = mdp;
        int S = mdp.StateCount, A = mdp.ActionCount;
        if (weights is not null)
        {
            weights.RequireFits(mdp);
            foreach (double omega in weights.Values)
                if (!(omega >= 0) || !double.IsFinite(omega))
                    throw new ArgumentException($"norm weights must be finite and >= 0, found {omega}", nameof(weights));
            _weights = weights.Values.ToArray();
        }
        _rowWeights = new double[S * A];
        var pointers = mdp.RowPointers;
        var columns = mdp.Columns;
        var probabilities = mdp.Probabilities;
        var matrix = Matrix<double>.Build.Dense(S * A, S);
        for (int row = 0; row < S * A; row++)
        {
            double sum = 0;
            for (long k = pointers[row]; k < pointers[row + 1]; k++)
            {
                if (probabilities[(int)k] == 0) continue;
                double omega = Omega(row, columns[(int)k]);
                if (omega == 0)
                    throw new ArgumentException($"norm weight 0 on the possible transition (s={row / A}, a={row % A}, s'={columns[(int)k]}): the minimal reward would be unbounded there", nameof(weights));
                sum += probabilities[(int)k] * probabilities[(int)k] / omega;
            }
            _rowWeights[row] = 1 / sum;
            double scale = Math.Sqrt(_rowWeights[row]);
            for (long k = pointers[row]; k < pointers[row + 1]; k++)
                matrix[row, columns[(int)k]] += scale * mdp.Discount * probabilities[(int)k];
            matrix[row, row / A] -= scale;
        }
        _factor = matrix.QR(QRMethod.Thin);
    }

    /// <inheritdoc/>
    public string Name => _weights is null ? "min" : "min-weighted";

    /// <inheritdoc/>
    public TransitionReward Apply(TransitionReward reward)
    {
        reward.RequireFits(_mdp);
        int S = _mdp.StateCount, A = _mdp.ActionCount;
        var expected = reward.Expected(_mdp);
        // Phi* = argmin || sqrt(w) (rbar + (gamma tau - E) Phi) ||: the least-squares solution of B Phi = -sqrt(w) rbar.
        var target = Vector<double>.Build.Dense(S * A, row => -Math.Sqrt(_rowWeights[row]) * expected[row]);
        var potential = _factor.Solve(target);
        var pointers = _mdp.RowPointers;
        var columns = _mdp.Columns;
        var probabilities = _mdp.Probabilities;
        var values = new double[(long)S * A * S];
        for (int row = 0; row < S * A; row++)
        {
            double next = 0;
            for (long k = pointers[row]; k < pointers[row + 1]; k++)
                next += probabilities[(int)k] * potential[columns[(int)k]];
            double m = expected[row] + _mdp.Discount * next - potential[row / A];
            for (long k = pointers[row]; k < pointers[row + 1]; k++)
            {
                if (probabilities[(int)k] == 0) continue;
                int column = columns[(int)k];
                values[(long)row * S + column] = _rowWeights[row] * probabilities[(int)k] * m / Omega(row, column);
            }
        }
        return new TransitionReward(S, A, values);
    }

    private double Omega(int row, int next) => _weights is null ? 1 : _weights[(long)row * _mdp.StateCount + next];
}
