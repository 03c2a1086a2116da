namespace TabularRL.Theory.Claims;

/// <summary>One row of <c>tabrl verify</c>: what a claim was checked on and what was seen.</summary>
/// <param name="Id">The claim's id in THEORY.md section 8.</param>
/// <param name="Source">Where the claim comes from.</param>
/// <param name="Instances">Random instances drawn.</param>
/// <param name="Observed">The worst value seen, as text (a number, or several named ones).</param>
/// <param name="Expected">The bound or expectation it is held to.</param>
/// <param name="Passed">Whether every instance met it.</param>
/// <param name="Detail">For a failure, the instance that failed; otherwise what attained the worst value, or empty.</param>
public sealed record ClaimResult(string Id, string Source, int Instances, string Observed, string Expected, bool Passed, string Detail);
