namespace TabularRL.Theory.Ddc;

/// <summary>
/// The structural bus-engine model of Rust (1987): states x = 0..N-1 (mileage bins), actions keep (0) / replace (1),
/// u(x,0) = -c(x), u(x,1) = -RC - c(0), logit shocks, discount beta, and monthly increments j with probabilities theta3j
/// (THEORY.md section 7).
/// </summary>
/// <remarks>
/// After the decision the bus moves from x (keep) or from 0 (replace) by j bins, stopping at N-1 (the last bin absorbs),
/// so p(x'|x, replace) = p(x'|0, keep), Rust's convention EV(x, 1) = EV(0, 0).
/// </remarks>
public sealed class BusEngineModel
{
    private readonly double[] _transitionProbabilities;
    private readonly double[] _costParameters;
    private readonly double[] _costs;

    /// <summary>A model; every argument is checked here once.</summary>
    /// <param name="cost">The maintenance cost form and N.</param>
    /// <param name="discount">beta in [0, 1); 0 is the myopic model.</param>
    /// <param name="transitionProbabilities">[J] theta3j, j = 0..J-1, J &lt;= N, non-negative, summing to 1.</param>
    /// <param name="replacementCost">RC.</param>
    /// <param name="costParameters">[cost.ParameterCount] theta11, theta12, ...</param>
    public BusEngineModel(MaintenanceCost cost, double discount, double[] transitionProbabilities, double replacementCost, double[] costParameters)
    {
        ArgumentNullException.ThrowIfNull(cost);
        if (!(discount >= 0 && discount < 1))
            throw new ArgumentOutOfRangeException(nameof(discount), discount, $"discount must lie in [0, 1) (0: the myopic model of Table IX), got {discount}");
        if (transitionProbabilities.Length == 0 || transitionProbabilities.Length > cost.Bins)
            throw new ArgumentException($"{transitionProbabilities.Length} increment probabilities, expected 1..bins = {cost.Bins}", nameof(transitionProbabilities));
        for (int j = 0; j < transitionProbabilities.Length; j++)
            if (!(transitionProbabilities[j] >= 0))
                throw new ArgumentException($"increment probability theta3{j} = {transitionProbabilities[j]} is negative or not a number", nameof(transitionProbabilities));
        if (Math.Abs(transitionProbabilities.Sum() - 1) > 1e-9)
            throw new ArgumentException($"increment probabilities sum to {transitionProbabilities.Sum()}, not 1", nameof(transitionProbabilities));
        if (!double.IsFinite(replacementCost))
            throw new ArgumentException($"replacement cost {replacementCost} is not finite", nameof(replacementCost));
        if (costParameters.Length != cost.ParameterCount || costParameters.Any(t => !double.IsFinite(t)))
            throw new ArgumentException($"the {cost.Form} cost takes {cost.ParameterCount} finite parameters, got [{string.Join(", ", costParameters)}]", nameof(costParameters));
        Cost = cost;
        Discount = discount;
        _transitionProbabilities = [.. transitionProbabilities];
        ReplacementCost = replacementCost;
        _costParameters = [.. costParameters];
        _costs = cost.Values(costParameters);
    }

    /// <summary>The maintenance cost form.</summary>
    public MaintenanceCost Cost { get; }

    /// <summary>N, the number of states.</summary>
    public int Bins => Cost.Bins;

    /// <summary>beta.</summary>
    public double Discount { get; }

    /// <summary>[J] theta3j.</summary>
    public ReadOnlySpan<double> TransitionProbabilities => _transitionProbabilities;

    /// <summary>RC.</summary>
    public double ReplacementCost { get; }

    /// <summary>[K] theta11, theta12, ...</summary>
    public ReadOnlySpan<double> CostParameters => _costParameters;

    /// <summary>[N] c(x).</summary>
    public ReadOnlySpan<double> Costs => _costs;

    /// <summary>The state reached from <paramref name="x"/> by an increment of <paramref name="j"/> bins: min(x + j, N-1).</summary>
    public int Next(int x, int j) => Math.Min(x + j, Bins - 1);

    /// <summary>The same model with other parameters (and the same cost form and N).</summary>
    public BusEngineModel With(double[]? transitionProbabilities = null, double? replacementCost = null, double[]? costParameters = null)
        => new(Cost, Discount, transitionProbabilities ?? _transitionProbabilities, replacementCost ?? ReplacementCost, costParameters ?? _costParameters);
}
