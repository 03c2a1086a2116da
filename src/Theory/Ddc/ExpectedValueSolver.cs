using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using TabularRL.Engine.Solvers;

namespace TabularRL.Theory.Ddc;

/// <summary>The fixed point EV = T(EV) of a <see cref="BusEngineModel"/>, with the choice probabilities it implies.</summary>
public sealed class ExpectedValueSolution
{
    private readonly double[] _relative;
    private readonly double[] _replaceProbabilities;
    private readonly double[] _logSums;

    internal ExpectedValueSolution(BusEngineModel model, double[] relative, double level, double[] replaceProbabilities, double[] logSums,
        LU<double> jacobian, double residual, int contractionSteps, int newtonSteps)
    {
        Model = model;
        _relative = relative;
        Level = level;
        _replaceProbabilities = replaceProbabilities;
        _logSums = logSums;
        Jacobian = jacobian;
        Residual = residual;
        ContractionSteps = contractionSteps;
        NewtonSteps = newtonSteps;
    }

    /// <summary>The model solved.</summary>
    public BusEngineModel Model { get; }

    /// <summary>[N] W(x) = EV(x) - EV(0): the expected value relative to the new engine, of order one whatever beta.</summary>
    public ReadOnlySpan<double> RelativeValues => _relative;

    /// <summary>EV(0), of order 1/(1 - beta): EV = W + Level.</summary>
    public double Level { get; }

    /// <summary>[N] EV(x) = W(x) + Level.</summary>
    public double[] ExpectedValues() => _relative.Select(w => w + Level).ToArray();

    /// <summary>[N] P(replace | x).</summary>
    public ReadOnlySpan<double> ReplaceProbabilities => _replaceProbabilities;

    /// <summary>[N] the log-sum log(exp v(y,0) + exp v(y,1)) at each state, relative values (used for d/dtheta3).</summary>
    internal ReadOnlySpan<double> LogSums => _logSums;

    /// <summary>LU factors of I - S'(W) at the solution, for the implicit-function derivatives.</summary>
    internal LU<double> Jacobian { get; }

    /// <summary>max_x |T(EV)(x) - EV(x)| at the returned values.</summary>
    public double Residual { get; }

    /// <summary>Contraction (successive approximation) steps taken.</summary>
    public int ContractionSteps { get; }

    /// <summary>Newton-Kantorovich steps taken.</summary>
    public int NewtonSteps { get; }

    /// <summary>Q(x, a) = u(x, a) + beta EV(x, a) on the absolute scale: keep -c(x) + beta EV(x), replace -RC - c(0) + beta EV(0).</summary>
    /// <param name="x">State.</param>
    /// <param name="action">0 keep, 1 replace.</param>
    public double ChoiceValue(int x, int action)
    {
        var m = Model;
        return action == 0
            ? -m.Costs[x] + m.Discount * (_relative[x] + Level)
            : -m.ReplacementCost - m.Costs[0] + m.Discount * (_relative[0] + Level);
    }
}

/// <summary>
/// Rust's polyalgorithm for EV = T(EV): contraction steps, then Newton-Kantorovich iterations to a residual of 1e-12
/// (Rust 2000, NFXP manual, section 3.2).
/// </summary>
/// <remarks>
/// <para>The operator (THEORY.md section 7): T(EV)(x) = sum_j theta3j LS(min(x+j, N-1)) with
/// LS(y) = log[exp(-c(y) + beta EV(y)) + exp(-RC - c(0) + beta EV(0))].</para>
/// <para>Normalisation. T(EV + k 1) = T(EV) + beta k 1, so EV* is of order (mean flow utility)/(1 - beta), about 1e4 at
/// beta = 0.9999, and T' has the eigenvector 1 with eigenvalue beta: successive approximation crawls at rate beta and
/// I - T' is nearly singular. We iterate instead on W = EV - EV(0) with S(W) = T(W) - T(W)(0) 1 (relative value
/// iteration). If W = S(W) then EV = W + k 1 with k = T(W)(0)/(1 - beta) solves EV = T(EV), since T(W + k) = W + T(W)(0)
/// + beta k = W + k. The Frechet derivative S' = (I - 1 e0') T' maps 1 to beta 1 - beta 1 = 0: the unit-root direction
/// is deflated, so contraction steps converge at the rate of T's subdominant eigenvalue and the Newton system
/// (I - S') dW = S(W) - W is well conditioned. Choice probabilities depend only on W, and EV's level is recovered exactly
/// from k.</para>
/// <para>Derivative: T'(x, y) = beta sum_j theta3j [1{y = min(x+j,N-1)} P(keep|y) + 1{y = 0} P(replace|min(x+j,N-1))],
/// since dLS(y)/dEV(y) = beta P(keep|y) through the keep value and dLS(y)/dEV(0) = beta P(replace|y) through the replace
/// value. The LU factors of I - S' at the solution are kept for dW/dtheta = (I - S')^{-1} dS/dtheta (implicit function
/// theorem).</para>
/// </remarks>
public static class ExpectedValueSolver
{
    /// <summary>The sup-norm residual the solutions are driven to.</summary>
    public const double Tolerance = 1e-12;

    // Contraction steps before Newton: enough to enter Newton's domain of quadratic convergence from a cold start.
    private const int MaxContractionSteps = 200;
    private const double SwitchResidual = 1e-3;
    private const int MaxNewtonSteps = 40;

    /// <summary>Solves the model, starting from <paramref name="start"/> (relative values W, e.g. a previous solution) or 0.</summary>
    /// <param name="model">The model.</param>
    /// <param name="start">[N] a starting W, or empty for W = 0.</param>
    /// <exception cref="NumericalException">The residual did not fall to <see cref="Tolerance"/>, or a value overflowed.</exception>
    public static ExpectedValueSolution Solve(BusEngineModel model, ReadOnlySpan<double> start = default)
    {
        int n = model.Bins;
        if (start.Length != 0 && start.Length != n)
            throw new ArgumentException($"start has length {start.Length}, expected bins = {n}", nameof(start));
        var w = start.Length == n ? start.ToArray() : new double[n];
        var work = new Workspace(n);
        double residual = Apply(model, w, work);
        int contraction = 0, newton = 0;
        while (residual > SwitchResidual && contraction < MaxContractionSteps)
        {
            Array.Copy(work.S, w, n);
            residual = Apply(model, w, work);
            contraction++;
        }
        while (residual > Tolerance)
        {
            if (newton == MaxNewtonSteps)
                throw new NumericalException($"expected value fixed point: residual {residual:g3} after {contraction} contraction and {newton} Newton steps (RC {model.ReplacementCost}, cost [{string.Join(", ", model.CostParameters.ToArray())}])");
            var lu = Jacobian(model, work).LU();
            var step = lu.Solve(Vector<double>.Build.Dense(work.Change()));
            var trial = new double[n];
            for (int x = 0; x < n; x++) trial[x] = w[x] + step[x];
            var trialWork = new Workspace(n);
            double trialResidual = Apply(model, trial, trialWork);
            newton++;
            if (trialResidual < residual || trialResidual <= Tolerance)
            {
                (w, work, residual) = (trial, trialWork, trialResidual);
                continue;
            }
            // Outside Newton's domain (or at round-off): fall back on contraction steps, which never diverge.
            for (int k = 0; k < 20; k++)
            {
                Array.Copy(work.S, w, n);
                residual = Apply(model, w, work);
                contraction++;
            }
        }
        if (!double.IsFinite(residual))
            throw new NumericalException($"expected value fixed point: a value is not finite (RC {model.ReplacementCost}, cost [{string.Join(", ", model.CostParameters.ToArray())}])");
        double level = work.T[0] / (1 - model.Discount);
        return new ExpectedValueSolution(model, w, level, work.ReplaceProbability, work.LogSum, Jacobian(model, work).LU(), residual, contraction, newton);
    }

    /// <summary>Evaluates S(W), P(replace|y) and LS(y) into <paramref name="work"/> and returns max |S(W) - W|.</summary>
    private static double Apply(BusEngineModel model, double[] w, Workspace work)
    {
        int n = model.Bins;
        double beta = model.Discount;
        var c = model.Costs;
        var p = model.TransitionProbabilities;
        double replace = -model.ReplacementCost - c[0] + beta * w[0];
        for (int y = 0; y < n; y++)
        {
            double keep = -c[y] + beta * w[y];
            // Subtract the larger value before exponentiating (house rule for log-sum-exp).
            double hi = Math.Max(keep, replace), lo = Math.Min(keep, replace);
            double e = Math.Exp(lo - hi);
            work.LogSum[y] = hi + double.LogP1(e);
            double pHigh = 1 / (1 + e);
            work.ReplaceProbability[y] = replace >= keep ? pHigh : 1 - pHigh;
        }
        for (int x = 0; x < n; x++)
        {
            double t = 0;
            for (int j = 0; j < p.Length; j++) t += p[j] * work.LogSum[model.Next(x, j)];
            work.T[x] = t;
        }
        double residual = 0;
        for (int x = 0; x < n; x++)
        {
            work.S[x] = work.T[x] - work.T[0];
            work.W[x] = w[x];
            residual = Math.Max(residual, Math.Abs(work.S[x] - w[x]));
        }
        return double.IsNaN(residual) ? double.PositiveInfinity : residual;
    }

    /// <summary>I - S'(W) with S' = (I - 1 e0') T' (class remarks).</summary>
    private static Matrix<double> Jacobian(BusEngineModel model, Workspace work)
    {
        int n = model.Bins;
        double beta = model.Discount;
        var p = model.TransitionProbabilities;
        var tPrime = new double[n, n];
        for (int x = 0; x < n; x++)
            for (int j = 0; j < p.Length; j++)
            {
                int y = model.Next(x, j);
                double pr = work.ReplaceProbability[y];
                tPrime[x, y] += beta * p[j] * (1 - pr);
                tPrime[x, 0] += beta * p[j] * pr;
            }
        var a = Matrix<double>.Build.Dense(n, n);
        for (int x = 0; x < n; x++)
            for (int y = 0; y < n; y++)
                a[x, y] = (x == y ? 1 : 0) - (tPrime[x, y] - tPrime[0, y]);
        return a;
    }

    private sealed class Workspace(int n)
    {
        public readonly double[] W = new double[n];
        public readonly double[] S = new double[n];
        public readonly double[] T = new double[n];
        public readonly double[] LogSum = new double[n];
        public readonly double[] ReplaceProbability = new double[n];

        public double[] Change() => S.Select((s, x) => s - W[x]).ToArray();
    }
}
