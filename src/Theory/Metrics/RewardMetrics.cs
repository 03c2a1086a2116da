using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Theory.Canonicalisation;

namespace TabularRL.Theory.Metrics;

/// <summary>The reward metrics by the names of <c>tabrl distance --metric</c> (INTERFACES.md section 4).</summary>
public static class RewardMetrics
{
    /// <summary>The names accepted by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["starc-val", "starc-min", "epic", "dard"];

    /// <summary>The metric <paramref name="name"/> on <paramref name="mdp"/>.</summary>
    /// <param name="name">starc-val (VAL, uniform policy), starc-min (minimal for unweighted L2), epic or dard (uniform D_S, D_A, coverage).</param>
    /// <param name="norm">n and m of a STARC metric; EPIC and DARD are Pearson (L2) distances and accept only L2.</param>
    /// <param name="mdp">An infinite-horizon model.</param>
    /// <param name="backend">Where VAL's policy evaluation runs.</param>
    /// <exception cref="ArgumentException">An unknown name, or EPIC or DARD with a norm other than L2.</exception>
    public static IRewardMetric Create(string name, NormKind norm, Mdp mdp, IBellmanBackend backend)
    {
        var coverage = CoverageDistributions.Uniform(mdp.StateCount, mdp.ActionCount);
        return name switch
        {
            "starc-val" => new StarcMetric(new ValCanonicalisation(mdp, backend), new RewardNorm(norm)),
            "starc-min" => new StarcMetric(new MinimalCanonicalisation(mdp), new RewardNorm(norm)),
            "epic" => new PearsonDistance(new EpicCanonicalisation(mdp, coverage), coverage).RequireL2(norm),
            "dard" => new PearsonDistance(new DardCanonicalisation(mdp, coverage), coverage).RequireL2(norm),
            _ => throw new ArgumentException($"--metric: '{name}' is not one of {string.Join(", ", Names)}"),
        };
    }

    private static PearsonDistance RequireL2(this PearsonDistance metric, NormKind norm)
        => norm == NormKind.L2
            ? metric
            : throw new ArgumentException($"--norm {norm.ToString().ToLowerInvariant()}: {metric.Name} is a Pearson distance, an L2 metric of standardised rewards; it takes --norm l2 only");
}
