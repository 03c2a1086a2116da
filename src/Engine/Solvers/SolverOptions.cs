using TabularRL.Engine.Model;

namespace TabularRL.Engine.Solvers;

/// <summary>Progress of an iterative solver, reported after each sweep or improvement step.</summary>
/// <param name="Iteration">Sweeps or improvement steps done.</param>
/// <param name="ErrorBound">The current certified bound (or residual for policy iteration).</param>
public readonly record struct SolverProgress(int Iteration, double ErrorBound);

/// <summary>Options shared by the iterative solvers.</summary>
public record SolverOptions
{
    /// <summary>Stop once the certified error bound on the values is at most this.</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>Give up (with <c>Converged = false</c>) after this many sweeps or improvement steps.</summary>
    public int MaxIterations { get; init; } = 1_000_000;

    /// <summary>Receives progress; null for none.</summary>
    public IProgress<SolverProgress>? Progress { get; init; }

    internal void Validate()
    {
        if (!(Tolerance > 0) || double.IsInfinity(Tolerance))
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "tolerance must be finite and > 0");
        if (MaxIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "max iterations must be >= 1");
    }
}

/// <summary>Options of policy iteration.</summary>
public sealed record PolicyIterationOptions : SolverOptions
{
    /// <summary>Policy evaluation uses a dense LU solve up to this many states, a Krylov solve above.</summary>
    public int DirectSolveMaxStates { get; init; } = 256;
}

/// <summary>Options of modified policy iteration.</summary>
public sealed record ModifiedPolicyIterationOptions : SolverOptions
{
    /// <summary>Partial-evaluation sweeps of the greedy policy after each improvement (m in Puterman section 6.5).</summary>
    public int EvaluationSweeps { get; init; } = 20;
}

/// <summary>Options of soft (maximum-entropy) value iteration.</summary>
public sealed record SoftValueIterationOptions : SolverOptions
{
    /// <summary>alpha &gt; 0.</summary>
    public double Temperature { get; init; } = 1;
}

/// <summary>Options of KL-regularised value iteration.</summary>
public sealed record KlValueIterationOptions : SolverOptions
{
    /// <summary>lambda &gt; 0.</summary>
    public double Coefficient { get; init; } = 1;

    /// <summary>pi_ref; null means uniform. Zeros are allowed; each row needs a positive entry.</summary>
    public Policy? Reference { get; init; }
}
