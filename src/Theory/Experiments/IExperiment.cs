namespace TabularRL.Theory.Experiments;

/// <summary>An experiment behind a claim of THEORY.md section 8: <c>tabrl experiment NAME</c> runs it, and <c>tabrl verify</c> runs its default size.</summary>
public interface IExperiment
{
    /// <summary>The claim's id, e.g. DCPPO-RATE; the command name is its lower-case form.</summary>
    string Id { get; }

    /// <summary>Where the claim comes from.</summary>
    string Source { get; }

    /// <summary>One line: what is varied and what is measured.</summary>
    string Description { get; }

    /// <summary>Runs the experiment; deterministic for <see cref="ExperimentSettings.Seed"/>.</summary>
    ExperimentReport Run(ExperimentSettings settings);
}
