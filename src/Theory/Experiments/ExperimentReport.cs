namespace TabularRL.Theory.Experiments;

/// <summary>What an experiment measured and whether it agrees with its claim.</summary>
/// <param name="Id">The claim's id in THEORY.md section 8, e.g. DCPPO-RATE.</param>
/// <param name="Quantity">What was measured, e.g. "suboptimality V*(mu0) - V^pi(mu0)".</param>
/// <param name="Variable">What was varied, e.g. "n (trajectories)".</param>
/// <param name="Points">The means per size.</param>
/// <param name="Fit">The log-log slope, for rate claims; null for claims checked instance by instance.</param>
/// <param name="Observed">The headline observation as text (the slope with its interval, or the worst instance).</param>
/// <param name="Expected">What the claim expects, e.g. "slope in [-0.8, -0.3]".</param>
/// <param name="Passed">Whether the observation meets the expectation.</param>
/// <param name="Instances">Independent instances or replicates the report is over.</param>
/// <param name="Detail">Where it failed, or what attained the worst value; the command that replays it.</param>
public sealed record ExperimentReport(
    string Id, string Quantity, string Variable, IReadOnlyList<RatePoint> Points, SlopeFit? Fit,
    string Observed, string Expected, bool Passed, int Instances, string Detail);
