using MathNet.Numerics.LinearAlgebra;

namespace TabularRL.Theory.Ddc;

/// <summary>The log-likelihood of a <see cref="BusPanel"/> under a solved model, with its analytic gradient.</summary>
/// <param name="Value">The log-likelihood.</param>
/// <param name="Gradient">[P] its gradient in the parameters (see <see cref="ChoiceLikelihood"/> for their order).</param>
/// <param name="OuterProduct">[P x P] sum over observations of score score' (BHHH), choice part only.</param>
/// <param name="Solution">The fixed point it was evaluated at.</param>
internal sealed record LikelihoodValue(double Value, double[] Gradient, double[,] OuterProduct, ExpectedValueSolution Solution);

/// <summary>
/// The choice log-likelihood l_c = sum_obs log P(d | x) (Rust 1987, equation 5.2's second factor) and, on request, the
/// full likelihood l_c + sum_j n_j log theta3j, with gradients by the implicit function theorem.
/// </summary>
/// <remarks>
/// <para>Parameters, in order: RC, theta11..theta1K, then (full likelihood only) the free increment probabilities
/// theta3i for the increments with positive probability except the last such, which is 1 minus the others.</para>
/// <para>With u(x) = v(x,1) - v(x,0) = -RC - c(0) + c(x) + beta (W(0) - W(x)) and P(replace|x) = 1/(1 + exp(-u)),
/// d log P(d|x)/du = d - P(replace|x), so dl_c/dtheta = sum_x (n(x,1) - n(x) P(replace|x)) du(x)/dtheta with
/// du/dtheta = du/dtheta|_W + beta (dW(0) - dW(x))/dtheta and dW/dtheta = (I - S')^{-1} dS/dtheta|_W
/// (ExpectedValueSolver; S(W) = T(W) - T(W)(0)). The partial derivatives of T at fixed W:
/// dT(x)/dRC = -sum_j theta3j P(replace|y_j), dT(x)/dtheta1k = -sum_j theta3j [P(keep|y_j) b_k(y_j) + P(replace|y_j) b_k(0)],
/// dT(x)/dtheta3i = LS(y_i) - LS(y_last), with y_j = min(x+j, N-1) and b_k = dc/dtheta1k.</para>
/// </remarks>
internal static class ChoiceLikelihood
{
    /// <summary>The free increment indices (positive probability) and the one that takes up the remainder.</summary>
    public static (int[] Free, int Last) TransitionParameters(ReadOnlySpan<double> p)
    {
        var positive = new List<int>();
        for (int j = 0; j < p.Length; j++)
            if (p[j] > 0) positive.Add(j);
        return ([.. positive.Take(positive.Count - 1)], positive[^1]);
    }

    /// <summary>Evaluates the likelihood of <paramref name="panel"/> at <paramref name="solution"/>.</summary>
    /// <param name="panel">The data.</param>
    /// <param name="solution">The fixed point of the model at the parameters.</param>
    /// <param name="full">Whether to add the transition likelihood and differentiate in the free theta3i too.</param>
    public static LikelihoodValue Evaluate(BusPanel panel, ExpectedValueSolution solution, bool full)
    {
        var model = solution.Model;
        int n = model.Bins, k = model.Cost.ParameterCount;
        double beta = model.Discount;
        var p = model.TransitionProbabilities;
        var (free, last) = full ? TransitionParameters(p) : ([], -1);
        int count = 1 + k + free.Length;
        var pr = solution.ReplaceProbabilities;
        var ls = solution.LogSums;

        // dT/dtheta at fixed W, one column per parameter; then dS = dT - dT(0).
        var dS = Matrix<double>.Build.Dense(n, count);
        for (int x = 0; x < n; x++)
        {
            for (int j = 0; j < p.Length; j++)
            {
                int y = model.Next(x, j);
                dS[x, 0] -= p[j] * pr[y];
                for (int c = 0; c < k; c++)
                    dS[x, 1 + c] -= p[j] * ((1 - pr[y]) * model.Cost.Basis(c)[y] + pr[y] * model.Cost.Basis(c)[0]);
            }
            for (int f = 0; f < free.Length; f++)
                dS[x, 1 + k + f] = ls[model.Next(x, free[f])] - ls[model.Next(x, last)];
        }
        for (int col = 0; col < count; col++)
        {
            double at0 = dS[0, col];
            for (int x = 0; x < n; x++) dS[x, col] -= at0;
        }
        var dW = solution.Jacobian.Solve(dS);

        var choices = panel.ChoiceCounts;
        double value = 0;
        var gradient = new double[count];
        var outer = new double[count, count];
        var du = new double[count];
        var w = solution.RelativeValues;
        var costs = model.Costs;
        for (int x = 0; x < n; x++)
        {
            long keepCount = choices[2 * x], replaceCount = choices[2 * x + 1];
            if (keepCount + replaceCount == 0) continue;
            double u = -model.ReplacementCost - costs[0] + costs[x] + beta * (w[0] - w[x]);
            // log P(replace) = -log(1 + e^-u), log P(keep) = -log(1 + e^u), each without overflow.
            value -= replaceCount * Softplus(-u) + keepCount * Softplus(u);
            for (int col = 0; col < count; col++)
            {
                double direct = col == 0 ? -1 : col <= k ? model.Cost.Basis(col - 1)[x] - model.Cost.Basis(col - 1)[0] : 0;
                du[col] = direct + beta * (dW[0, col] - dW[x, col]);
                gradient[col] += (replaceCount - (keepCount + replaceCount) * pr[x]) * du[col];
            }
            for (int a = 0; a < count; a++)
                for (int b = 0; b < count; b++)
                    outer[a, b] += (keepCount * pr[x] * pr[x] + replaceCount * (1 - pr[x]) * (1 - pr[x])) * du[a] * du[b];
        }
        if (full)
        {
            var increments = panel.IncrementCounts;
            for (int j = 0; j < increments.Length; j++)
                if (increments[j] > 0) value += increments[j] * Math.Log(j < p.Length ? p[j] : 0);
            long lastCount = last < increments.Length ? increments[last] : 0;
            for (int f = 0; f < free.Length; f++)
                gradient[1 + k + f] += (free[f] < increments.Length ? increments[free[f]] : 0) / p[free[f]] - lastCount / p[last];
        }
        return new LikelihoodValue(value, gradient, outer, solution);
    }

    /// <summary>The transition log-likelihood sum_j n_j log theta3j (0 log 0 = 0).</summary>
    public static double Transition(ReadOnlySpan<long> increments, ReadOnlySpan<double> p)
    {
        double value = 0;
        for (int j = 0; j < increments.Length; j++)
            if (increments[j] > 0) value += increments[j] * Math.Log(p[j]);
        return value;
    }

    private static double Softplus(double z) => z > 0 ? z + double.LogP1(Math.Exp(-z)) : double.LogP1(Math.Exp(z));
}
