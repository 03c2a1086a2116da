using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using TabularRL.Engine.Solvers;
using TabularRL.Theory.Linear;

namespace TabularRL.Theory.Dcppo;

/// <summary>The ridge design matrix of one stage, Lambda_h = sum_i w_i phi(s_i,a_i) phi(s_i,a_i)^T + l I, factorised once by Cholesky.</summary>
/// <remarks>
/// THEORY.md section 5, steps 2 and 3: both the Bellman least-squares reward and the pessimistic backup regress on the
/// same Lambda_h, and the penalty is beta sqrt(phi^T Lambda_h^{-1} phi), the width of the confidence ellipsoid in the
/// direction phi. For l &gt; 0 Lambda_h is symmetric positive definite, so the dense Cholesky factor exists.
/// </remarks>
public sealed class RidgeDesign
{
    private readonly FeatureMap _features;
    private readonly StageSample[] _samples;
    private readonly Cholesky<double> _cholesky;
    private readonly Matrix<double> _inverse;

    private RidgeDesign(FeatureMap features, StageSample[] samples, Matrix<double> lambda)
    {
        _features = features;
        _samples = samples;
        Matrix = lambda;
        _cholesky = lambda.Cholesky();
        _inverse = _cholesky.Solve(Matrix<double>.Build.DenseIdentity(lambda.RowCount));
        foreach (double x in _inverse.Enumerate())
            if (!double.IsFinite(x)) throw new NumericalException($"ridge design: Lambda^-1 has an entry {x} (d = {lambda.RowCount})");
    }

    /// <summary>Lambda_h of <paramref name="samples"/>.</summary>
    /// <param name="features">phi.</param>
    /// <param name="samples">The steps of stage h.</param>
    /// <param name="ridge">l &gt; 0.</param>
    /// <exception cref="ArgumentException">The ridge is not positive, or a sample is out of range or has a negative weight.</exception>
    public static RidgeDesign Build(FeatureMap features, StageSample[] samples, double ridge)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(samples);
        if (!(ridge > 0) || double.IsInfinity(ridge)) throw new ArgumentOutOfRangeException(nameof(ridge), ridge, "the ridge of Lambda_h must be finite and > 0");
        int d = features.Dimension;
        var lambda = Matrix<double>.Build.DenseIdentity(d) * ridge;
        for (int i = 0; i < samples.Length; i++)
        {
            var x = samples[i];
            if (x.State < 0 || x.State >= features.StateCount || x.NextState < 0 || x.NextState >= features.StateCount || x.Action < 0 || x.Action >= features.ActionCount)
                throw new ArgumentException($"sample {i} ({x.State}, {x.Action}, {x.NextState}) is out of range (S = {features.StateCount}, A = {features.ActionCount})", nameof(samples));
            if (!(x.Weight >= 0) || double.IsInfinity(x.Weight)) throw new ArgumentException($"sample {i} has weight {x.Weight} (must be finite and >= 0)", nameof(samples));
            var phi = features.Of(x.State, x.Action);
            for (int k = 0; k < d; k++)
            {
                double wk = x.Weight * phi[k];
                if (wk == 0) continue;
                for (int l = 0; l < d; l++) lambda[k, l] += wk * phi[l];
            }
        }
        return new RidgeDesign(features, samples, lambda);
    }

    /// <summary>Lambda_h.</summary>
    public Matrix<double> Matrix { get; }

    /// <summary>The steps the design was built from.</summary>
    public ReadOnlySpan<StageSample> Samples => _samples;

    /// <summary>Lambda_h^{-1} sum_i w_i phi(s_i,a_i) y_i: the ridge regression of the targets on phi.</summary>
    /// <param name="target">y_i of a sample.</param>
    public double[] Regress(Func<StageSample, double> target)
    {
        ArgumentNullException.ThrowIfNull(target);
        int d = _features.Dimension;
        var b = Vector<double>.Build.Dense(d);
        foreach (var x in _samples)
        {
            double y = target(x) * x.Weight;
            if (y == 0) continue;
            var phi = _features.Of(x.State, x.Action);
            for (int k = 0; k < d; k++) b[k] += phi[k] * y;
        }
        var solution = _cholesky.Solve(b).ToArray();
        foreach (double value in solution)
            if (!double.IsFinite(value)) throw new NumericalException($"ridge regression produced {value}; a target was not finite");
        return solution;
    }

    /// <summary>sqrt(phi(s,a)^T Lambda_h^{-1} phi(s,a)), the uncertainty width in the direction phi(s,a).</summary>
    public double Width(int s, int a)
    {
        var phi = _features.Of(s, a);
        int d = phi.Length;
        double total = 0;
        for (int k = 0; k < d; k++)
        {
            if (phi[k] == 0) continue;
            double row = 0;
            for (int l = 0; l < d; l++) row += _inverse[k, l] * phi[l];
            total += phi[k] * row;
        }
        return Math.Sqrt(Math.Max(0, total));
    }
}
