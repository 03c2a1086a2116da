using TabularRL.Theory.Claims;

namespace TabularRL.Theory.Experiments;

/// <summary>A claim of the catalogue checked by running an experiment at its default size.</summary>
/// <remarks>The instance count of <c>tabrl verify</c> does not apply: an experiment's size is part of what it claims.</remarks>
public sealed class ExperimentClaim(IExperiment experiment) : IClaim
{
    /// <inheritdoc/>
    public string Id => experiment.Id;

    /// <inheritdoc/>
    public string Source => experiment.Source;

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        int seed = instances.Random.Next();
        var report = experiment.Run(new ExperimentSettings(seed, Full: false, instances.Backend));
        string replay = $"replay: tabrl experiment {Id.ToLowerInvariant()} --seed {seed}";
        string detail = report.Detail.Length == 0 ? replay : $"{report.Detail}; {replay}";
        return new ClaimResult(Id, Source, report.Instances, report.Observed, report.Expected, report.Passed, detail);
    }
}
