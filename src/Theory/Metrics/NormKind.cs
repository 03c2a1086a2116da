namespace TabularRL.Theory.Metrics;

/// <summary>Which p of the L_p norm on rewards as vectors over every (s,a,s').</summary>
public enum NormKind
{
    /// <summary>sum |x|.</summary>
    L1,

    /// <summary>sqrt(sum x^2), STARC's default.</summary>
    L2,

    /// <summary>max |x|.</summary>
    LInf,
}
