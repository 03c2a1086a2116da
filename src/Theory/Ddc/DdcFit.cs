namespace TabularRL.Theory.Ddc;

/// <summary>The result of a two-stage nested fixed-point fit (<see cref="NestedFixedPoint"/>).</summary>
public sealed class DdcFit
{
    internal DdcFit(BusPanel panel, ExpectedValueSolution solution, double choiceLogLikelihood, double transitionLogLikelihood,
        double[] standardErrors, double[] choiceStandardErrors, double[] outerProductStandardErrors, double[] transitionStandardErrors, int iterations, double gradientNorm, bool converged)
    {
        Panel = panel;
        Solution = solution;
        ChoiceLogLikelihood = choiceLogLikelihood;
        TransitionLogLikelihood = transitionLogLikelihood;
        StandardErrors = standardErrors;
        ChoiceStandardErrors = choiceStandardErrors;
        OuterProductStandardErrors = outerProductStandardErrors;
        TransitionStandardErrors = transitionStandardErrors;
        Iterations = iterations;
        GradientNorm = gradientNorm;
        Converged = converged;
    }

    /// <summary>The data fitted.</summary>
    public BusPanel Panel { get; }

    /// <summary>The fitted model (RC, theta1, theta3, beta, cost form, N).</summary>
    public BusEngineModel Model => Solution.Model;

    /// <summary>The expected value fixed point at the estimates.</summary>
    public ExpectedValueSolution Solution { get; }

    /// <summary>RC.</summary>
    public double ReplacementCost => Model.ReplacementCost;

    /// <summary>[K] theta11, theta12, ...</summary>
    public double[] CostParameters => Model.CostParameters.ToArray();

    /// <summary>[J] theta3j: the increment frequencies (first stage).</summary>
    public double[] TransitionProbabilities => Model.TransitionProbabilities.ToArray();

    /// <summary>sum_obs log P(d | x) at the estimates.</summary>
    public double ChoiceLogLikelihood { get; }

    /// <summary>sum_j n_j log theta3j.</summary>
    public double TransitionLogLikelihood { get; }

    /// <summary>The full log-likelihood, transition plus choice parts (Rust 1987, Table IX's "log-likelihood").</summary>
    public double LogLikelihood => ChoiceLogLikelihood + TransitionLogLikelihood;

    /// <summary>[1+K] s.e. of (RC, theta11, ...) from the inverse negative Hessian of the full likelihood in (RC, theta1, theta3).</summary>
    public double[] StandardErrors { get; }

    /// <summary>[1+K] s.e. of (RC, theta11, ...) from the inverse negative Hessian of the choice (partial) likelihood at theta3 fixed.</summary>
    public double[] ChoiceStandardErrors { get; }

    /// <summary>[1+K] s.e. of (RC, theta11, ...) from the inverse BHHH matrix (sum of outer products of the choice scores).</summary>
    public double[] OuterProductStandardErrors { get; }

    /// <summary>[J] s.e. of theta3j, multinomial: sqrt(theta3j (1 - theta3j) / n).</summary>
    public double[] TransitionStandardErrors { get; }

    /// <summary>Outer (Newton/BHHH) iterations.</summary>
    public int Iterations { get; }

    /// <summary>Sup norm of the choice likelihood's gradient at the estimates.</summary>
    public double GradientNorm { get; }

    /// <summary>Whether the outer maximisation met its convergence test (Newton decrement below 1e-10).</summary>
    public bool Converged { get; }
}
