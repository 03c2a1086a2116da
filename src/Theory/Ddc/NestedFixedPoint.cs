using MathNet.Numerics.LinearAlgebra;

namespace TabularRL.Theory.Ddc;

/// <summary>
/// Rust's (1987) two-stage nested fixed-point maximum likelihood estimator of the bus-engine model (THEORY.md section 7).
/// </summary>
/// <remarks>
/// <para>Stage 1: theta3j = n_j / n, the multinomial MLE of the monthly increments. Stage 2: maximise the choice
/// log-likelihood over (RC, theta1) with theta3 fixed, solving EV to 1e-12 at every trial value
/// (<see cref="ExpectedValueSolver"/>, warm-started from the last accepted solution).</para>
/// <para>Outer loop: Newton steps on the analytic gradient (<see cref="ChoiceLikelihood"/>) with the Hessian from central
/// differences of that gradient; where the negative Hessian is not positive definite (far from the optimum) the BHHH
/// matrix, the outer product of the per-observation scores (Berndt, Hall, Hall and Hausman 1974, as in Rust's NFXP), takes
/// its place. Steps are halved until the likelihood rises. Convergence: the Newton decrement g'(-H)^{-1}g below 1e-10,
/// i.e. the likelihood is within about 5e-11 of its maximum.</para>
/// <para>Standard errors: the inverse negative Hessian of the full likelihood in (RC, theta1, theta3), which accounts
/// for theta3 being estimated (Rust 1987, section 5), and of the partial (choice) likelihood at theta3 fixed.</para>
/// </remarks>
public static class NestedFixedPoint
{
    private const double DecrementTolerance = 1e-10;
    private const int MaxIterations = 100;

    /// <summary>Fits the model with maintenance cost <paramref name="form"/> to <paramref name="panel"/>.</summary>
    /// <param name="panel">The data.</param>
    /// <param name="discount">beta in [0, 1) (not estimated; Rust fixes it; 0 is the myopic model).</param>
    /// <param name="form">The maintenance cost specification.</param>
    /// <exception cref="ArgumentException">The panel has no observations or no replacements, or beta is outside [0, 1).</exception>
    public static DdcFit Fit(BusPanel panel, double discount, CostForm form)
    {
        ArgumentNullException.ThrowIfNull(panel);
        if (!(discount >= 0 && discount < 1))
            throw new ArgumentOutOfRangeException(nameof(discount), discount, $"discount must lie in [0, 1) (0: the myopic model of Table IX), got {discount}");
        long observations = panel.Observations;
        if (observations == 0) throw new ArgumentException("the panel has no choice observations", nameof(panel));
        // Without a replacement (or without a keep) the likelihood has no maximum: RC runs off to infinity.
        if (panel.Replacements == 0 || panel.Replacements == observations)
            throw new ArgumentException($"the panel has {panel.Replacements} replacements in {observations} observations; RC is not identified", nameof(panel));

        var increments = panel.IncrementCounts;
        var p = new double[increments.Length];
        for (int j = 0; j < p.Length; j++) p[j] = (double)increments[j] / observations;
        var cost = MaintenanceCost.Create(form, panel.Bins);
        // Start: RC = 5 and theta11 = 1 (a cost rising with mileage), higher terms 0; not the published values.
        var theta = new double[1 + cost.ParameterCount];
        theta[0] = 5;
        theta[1] = 1;
        var model = new BusEngineModel(cost, discount, p, theta[0], theta[1..]);

        var current = Evaluate(panel, model, theta, default, full: false);
        int iteration = 0;
        bool converged = false;
        while (iteration < MaxIterations)
        {
            iteration++;
            var g = Vector<double>.Build.Dense(current.Gradient);
            var negHessian = -Hessian(panel, model, theta, current.Solution, full: false);
            Vector<double> step;
            try
            {
                step = negHessian.Cholesky().Solve(g);
            }
            catch (ArgumentException)
            {
                // Not positive definite: BHHH, which always is (given scores spanning the parameters).
                step = Matrix<double>.Build.DenseOfArray(current.OuterProduct).Cholesky().Solve(g);
            }
            double decrement = g.DotProduct(step);
            if (decrement < DecrementTolerance)
            {
                converged = true;
                break;
            }
            double scale = 1;
            LikelihoodValue? accepted = null;
            for (int halving = 0; halving < 40; halving++, scale /= 2)
            {
                var trial = theta.Select((t, i) => t + scale * step[i]).ToArray();
                LikelihoodValue candidate;
                try
                {
                    candidate = Evaluate(panel, model, trial, current.Solution.RelativeValues, full: false);
                }
                catch (Engine.Solvers.NumericalException)
                {
                    continue; // the trial overflowed: a shorter step
                }
                if (candidate.Value >= current.Value)
                {
                    accepted = candidate;
                    theta = trial;
                    break;
                }
            }
            if (accepted is null) break; // no ascent along the step: report non-convergence
            current = accepted;
        }

        var fitted = current.Solution;
        var choiceHessian = -Hessian(panel, model, theta, fitted, full: false);
        var choiceErrors = Errors(choiceHessian, 1 + cost.ParameterCount);
        var fullTheta = theta.Concat(ChoiceLikelihood.TransitionParameters(p).Free.Select(j => p[j])).ToArray();
        var fullHessian = -Hessian(panel, model, fullTheta, fitted, full: true);
        var fullErrors = Errors(fullHessian, 1 + cost.ParameterCount);
        var transitionErrors = p.Select(q => Math.Sqrt(q * (1 - q) / observations)).ToArray();
        double transitionLl = ChoiceLikelihood.Transition(increments, p);
        var bhhhErrors = Errors(Matrix<double>.Build.DenseOfArray(current.OuterProduct), 1 + cost.ParameterCount);
        return new DdcFit(panel, fitted, current.Value, transitionLl, fullErrors, choiceErrors, bhhhErrors, transitionErrors, iteration,
            current.Gradient.Max(Math.Abs), converged);
    }

    /// <summary>Solves the model at <paramref name="theta"/> (RC, theta1[, free theta3]) and evaluates the likelihood.</summary>
    private static LikelihoodValue Evaluate(BusPanel panel, BusEngineModel template, double[] theta, ReadOnlySpan<double> start, bool full)
    {
        int k = template.Cost.ParameterCount;
        double[]? p = null;
        if (full)
        {
            var (free, last) = ChoiceLikelihood.TransitionParameters(template.TransitionProbabilities);
            p = template.TransitionProbabilities.ToArray();
            double rest = 1;
            for (int f = 0; f < free.Length; f++) rest -= p[free[f]] = theta[1 + k + f];
            p[last] = rest;
        }
        var model = template.With(p, theta[0], theta[1..(1 + k)]);
        var solution = ExpectedValueSolver.Solve(model, start);
        return ChoiceLikelihood.Evaluate(panel, solution, full);
    }

    /// <summary>The Hessian by central differences of the analytic gradient, symmetrised.</summary>
    private static Matrix<double> Hessian(BusPanel panel, BusEngineModel template, double[] theta, ExpectedValueSolution near, bool full)
    {
        int m = theta.Length;
        var h = Matrix<double>.Build.Dense(m, m);
        for (int i = 0; i < m; i++)
        {
            // Step ~ cube root of the gradient's accuracy (1e-12 fixed points, ~1e-10 after the linear solves) times scale.
            double step = 1e-5 * Math.Max(1, Math.Abs(theta[i]));
            if (full && i > template.Cost.ParameterCount) step = 1e-6; // probabilities: stay inside (0, 1)
            var up = (double[])theta.Clone();
            var down = (double[])theta.Clone();
            up[i] += step;
            down[i] -= step;
            var gUp = Evaluate(panel, template, up, near.RelativeValues, full).Gradient;
            var gDown = Evaluate(panel, template, down, near.RelativeValues, full).Gradient;
            for (int j = 0; j < m; j++) h[j, i] = (gUp[j] - gDown[j]) / (2 * step);
        }
        return (h + h.Transpose()) / 2;
    }

    /// <summary>sqrt of the first <paramref name="count"/> diagonal entries of the inverse of <paramref name="information"/>.</summary>
    private static double[] Errors(Matrix<double> information, int count)
    {
        var covariance = information.Inverse();
        return Enumerable.Range(0, count).Select(i => Math.Sqrt(covariance[i, i])).ToArray();
    }
}
