namespace TabularRL.Theory.Ddc;

/// <summary>The maintenance cost specifications of Rust (1987), Table VIII.</summary>
public enum CostForm
{
    /// <summary>c(x) = 0.001 theta11 x.</summary>
    Linear,

    /// <summary>c(x) = 0.00001 (theta11 x + theta12 x^2).</summary>
    Quadratic,

    /// <summary>c(x) = 1e-8 (theta11 x + theta12 x^2 + theta13 x^3).</summary>
    Cubic,

    /// <summary>c(x) = 0.01 theta11 sqrt(x).</summary>
    Sqrt,

    /// <summary>c(x) = 0.1 theta11 / (N + 1 - x) (0.1 theta11 / (91 - x) at 90 bins).</summary>
    Hyperbolic,
}

/// <summary>Monthly maintenance cost c(x, theta1) on the bins 0..N-1 and its gradient in theta1.</summary>
/// <remarks>
/// The forms are those of Rust (1987), Table VIII (linear, quadratic, cubic, square root, hyperbolic; the power and mixed
/// forms are not implemented). Scalings follow ruspy (OpenSourceEconomics/ruspy, model_code/cost_functions.py, which
/// multiplies all of a form's parameters by one scale, and its replication tests test_repl_nfxp.py, which fix the scale
/// per form): linear 1e-3 (the scale of Table IX's theta11 = 2.2930, THEORY.md section 7), quadratic 1e-5, cubic 1e-8,
/// square root 1e-2, hyperbolic 1e-1 with 1/(N + 1 - x). With them ruspy reports group-4 choice log-likelihoods of
/// -163.584 (linear), -163.402 (quadratic), -163.390 (square root). Every form is linear in its parameters, so the
/// gradient does not depend on theta1 and the likelihood's gradient needs only <see cref="Basis"/>.
/// </remarks>
public sealed class MaintenanceCost
{
    private readonly double[][] _basis;

    private MaintenanceCost(CostForm form, int bins)
    {
        Form = form;
        Bins = bins;
        Func<double, double>[] terms = form switch
        {
            CostForm.Linear => [x => 1e-3 * x],
            CostForm.Quadratic => [x => 1e-5 * x, x => 1e-5 * x * x],
            CostForm.Cubic => [x => 1e-8 * x, x => 1e-8 * x * x, x => 1e-8 * x * x * x],
            CostForm.Sqrt => [x => 1e-2 * Math.Sqrt(x)],
            CostForm.Hyperbolic => [x => 0.1 / (bins + 1 - x)],
            _ => throw new ArgumentOutOfRangeException(nameof(form), form, $"cost form {form} is not implemented"),
        };
        _basis = terms.Select(f => Enumerable.Range(0, bins).Select(x => f(x)).ToArray()).ToArray();
    }

    /// <summary>The specification.</summary>
    public CostForm Form { get; }

    /// <summary>N, the number of states.</summary>
    public int Bins { get; }

    /// <summary>Number of cost parameters (theta11, theta12, ...).</summary>
    public int ParameterCount => _basis.Length;

    /// <summary>The cost <paramref name="form"/> on <paramref name="bins"/> states.</summary>
    public static MaintenanceCost Create(CostForm form, int bins)
    {
        if (bins < 2) throw new ArgumentOutOfRangeException(nameof(bins), bins, $"bins must be at least 2, got {bins}");
        return new MaintenanceCost(form, bins);
    }

    /// <summary>The names used on the command line: linear, quadratic, cubic, sqrt, hyperbolic.</summary>
    public static IReadOnlyList<string> Names { get; } = ["linear", "quadratic", "cubic", "sqrt", "hyperbolic"];

    /// <summary>The form called <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static CostForm Parse(string name) => name switch
    {
        "linear" => CostForm.Linear,
        "quadratic" => CostForm.Quadratic,
        "cubic" => CostForm.Cubic,
        "sqrt" => CostForm.Sqrt,
        "hyperbolic" => CostForm.Hyperbolic,
        _ => throw new ArgumentException($"cost form '{name}' is not one of {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>[N] dc(x)/dtheta1k, the k-th basis function.</summary>
    public ReadOnlySpan<double> Basis(int k) => _basis[k];

    /// <summary>[N] c(x, theta1) = sum_k theta1k basis_k(x).</summary>
    /// <param name="parameters">[ParameterCount] theta11, theta12, ...</param>
    public double[] Values(ReadOnlySpan<double> parameters)
    {
        if (parameters.Length != ParameterCount)
            throw new ArgumentException($"the {Form} cost takes {ParameterCount} parameters, got {parameters.Length}", nameof(parameters));
        var c = new double[Bins];
        for (int k = 0; k < ParameterCount; k++)
            for (int x = 0; x < Bins; x++) c[x] += parameters[k] * _basis[k][x];
        return c;
    }
}
