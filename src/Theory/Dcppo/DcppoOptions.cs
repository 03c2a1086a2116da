namespace TabularRL.Theory.Dcppo;

/// <summary>The constants of DCPPO.</summary>
public sealed record DcppoOptions
{
    /// <summary>l1, the ridge of the step-1 log-likelihood; 1 by default.</summary>
    public double ChoiceRidge { get; init; } = 1;

    /// <summary>l, the ridge of Lambda_h in steps 2 and 3; 1 by default, as in pessimistic value iteration.</summary>
    public double BellmanRidge { get; init; } = 1;

    /// <summary>beta, the scale of the penalty beta sqrt(phi^T Lambda_h^{-1} phi); 0 turns pessimism off.</summary>
    public double Beta { get; init; } = 1;
}
