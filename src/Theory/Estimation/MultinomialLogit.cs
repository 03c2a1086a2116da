using MathNet.Numerics.LinearAlgebra;
using TabularRL.Engine.Solvers;

namespace TabularRL.Theory.Estimation;

/// <summary>Ridge-penalised multinomial-logit maximum likelihood, the first stage of DCPPO and linear behaviour cloning.</summary>
/// <remarks>
/// THEORY.md section 5, step 1: maximise L(theta) = sum_i log softmax_a(phi(s_i,.)^T theta)[a_i] - (l/2)||theta||^2.
/// L is concave and, for l &gt; 0, strictly concave, so Newton's method with a backtracking line search converges to the
/// unique maximiser. Gradient: sum_i (phi(s_i,a_i) - E_p phi) - l theta; Hessian: -sum_i Cov_p(phi) - l I,
/// with p = softmax(phi(s_i,.)^T theta).
/// </remarks>
public static class MultinomialLogit
{
    /// <summary>L(theta), and its gradient and Hessian when buffers are given.</summary>
    /// <param name="data">The choices.</param>
    /// <param name="theta">[d] parameter.</param>
    /// <param name="ridge">l &gt;= 0.</param>
    /// <param name="gradient">[d] output, or empty.</param>
    /// <param name="hessian">d x d output, or null.</param>
    public static double Evaluate(ChoiceData data, ReadOnlySpan<double> theta, double ridge, Span<double> gradient, Matrix<double>? hessian)
    {
        int A = data.ActionCount, d = data.Dimension;
        if (theta.Length != d) throw new ArgumentException($"theta has {theta.Length} entries, the features have {d}", nameof(theta));
        bool wantGradient = !gradient.IsEmpty;
        if (wantGradient) gradient.Clear();
        hessian?.Clear();
        Span<double> scores = stackalloc double[A];
        Span<double> mean = stackalloc double[d];
        double objective = 0;
        for (int i = 0; i < data.Count; i++)
        {
            var x = data.FeaturesOf(i);
            for (int a = 0; a < A; a++)
            {
                double z = 0;
                for (int k = 0; k < d; k++) z += x[a * d + k] * theta[k];
                scores[a] = z;
            }
            double logNormaliser = Behaviour.Softmax.LogSumExp(scores);
            int chosen = data.ChoiceOf(i);
            objective += scores[chosen] - logNormaliser;
            if (!wantGradient && hessian is null) continue;
            for (int a = 0; a < A; a++) scores[a] = Math.Exp(scores[a] - logNormaliser); // now p_a
            mean.Clear();
            for (int a = 0; a < A; a++)
                for (int k = 0; k < d; k++) mean[k] += scores[a] * x[a * d + k];
            if (wantGradient)
                for (int k = 0; k < d; k++) gradient[k] += x[chosen * d + k] - mean[k];
            if (hessian is not null) SubtractCovariance(hessian, x, scores, mean, A, d);
        }
        double squared = 0;
        for (int k = 0; k < d; k++) squared += theta[k] * theta[k];
        objective -= 0.5 * ridge * squared;
        if (wantGradient)
            for (int k = 0; k < d; k++) gradient[k] -= ridge * theta[k];
        if (hessian is not null)
            for (int k = 0; k < d; k++) hessian[k, k] -= ridge;
        return objective;
    }

    // H -= sum_a p_a (x_a - mean)(x_a - mean)^T, the covariance of the features under the choice probabilities.
    private static void SubtractCovariance(Matrix<double> hessian, ReadOnlySpan<double> x, ReadOnlySpan<double> p, ReadOnlySpan<double> mean, int A, int d)
    {
        for (int a = 0; a < A; a++)
        {
            if (p[a] == 0) continue;
            for (int k = 0; k < d; k++)
            {
                double dk = p[a] * (x[a * d + k] - mean[k]);
                if (dk == 0) continue;
                for (int l = 0; l < d; l++) hessian[k, l] -= dk * (x[a * d + l] - mean[l]);
            }
        }
    }

    /// <summary>The maximiser of L by damped Newton steps, stopped when the sup norm of the gradient is below <paramref name="tolerance"/>.</summary>
    /// <param name="data">The choices.</param>
    /// <param name="ridge">l &gt; 0 (with l = 0 a separable data set has no maximiser).</param>
    /// <param name="tolerance">Gradient tolerance, scaled by 1 + n so it means the same for any sample size.</param>
    /// <param name="maxIterations">Newton steps allowed.</param>
    /// <exception cref="NumericalException">The maximiser did not converge within <paramref name="maxIterations"/> steps.</exception>
    public static LogitFit Fit(ChoiceData data, double ridge, double tolerance = 1e-10, int maxIterations = 100)
    {
        if (!(ridge >= 0) || double.IsInfinity(ridge)) throw new ArgumentOutOfRangeException(nameof(ridge), ridge, "ridge must be finite and >= 0");
        int d = data.Dimension;
        var theta = new double[d];
        var gradient = new double[d];
        var trial = new double[d];
        var hessian = Matrix<double>.Build.Dense(d, d);
        double scaledTolerance = tolerance * (1 + data.Count);
        double objective = Evaluate(data, theta, ridge, gradient, hessian);
        for (int iteration = 0; iteration <= maxIterations; iteration++)
        {
            double norm = SupNorm(gradient);
            if (norm <= scaledTolerance) return new LogitFit(theta, objective, norm, iteration);
            if (iteration == maxIterations) break;
            // Newton direction from -H step = g; -H is positive definite for ridge > 0 (positive semidefinite otherwise).
            var step = (-hessian).Solve(Vector<double>.Build.DenseOfArray(gradient));
            double slope = 0;
            for (int k = 0; k < d; k++) slope += gradient[k] * step[k];
            if (!(slope > 0)) step = Vector<double>.Build.DenseOfArray(gradient); // fall back to ascent if the Hessian is singular
            double size = 1;
            double roundoff = MachineEpsilon * (data.Count + 1) * Math.Max(1, Math.Abs(objective));
            double next;
            while (true)
            {
                for (int k = 0; k < d; k++) trial[k] = theta[k] + size * step[k];
                next = Evaluate(data, trial, ridge, [], null);
                // Near the maximiser a Newton step changes L by about g^T H^-1 g, below the rounding of L itself, a sum
                // of n terms whose error is up to about n eps |L|: compare within that, or the search halves the step to
                // nothing and stalls with the gradient above tolerance (seen at n = 12800).
                if (next >= objective - roundoff || size < 1e-12) break;
                size *= 0.5;
            }
            Array.Copy(trial, theta, d);
            objective = Evaluate(data, theta, ridge, gradient, hessian);
            if (!double.IsFinite(objective)) throw new NumericalException($"multinomial logit: the log-likelihood became {objective} at Newton step {iteration + 1}");
        }
        throw new NumericalException($"multinomial logit: gradient norm {SupNorm(gradient):G3} still above {scaledTolerance:G3} after {maxIterations} Newton steps (ridge {ridge}; separable data need ridge > 0)");
    }

    // Unit roundoff of double (double.Epsilon is the smallest subnormal, not this).
    private const double MachineEpsilon = 2.220446049250313e-16;

    private static double SupNorm(ReadOnlySpan<double> v)
    {
        double norm = 0;
        foreach (double x in v) norm = Math.Max(norm, Math.Abs(x));
        return norm;
    }
}
