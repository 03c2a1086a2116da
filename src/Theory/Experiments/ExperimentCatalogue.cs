namespace TabularRL.Theory.Experiments;

/// <summary>The experiments behind the rate and data claims of THEORY.md section 8, in catalogue order.</summary>
public static class ExperimentCatalogue
{
    /// <summary>Every experiment.</summary>
    public static IReadOnlyList<IExperiment> All { get; } =
    [
        new Dcppo.DcppoRateExperiment(),
        new Dcppo.DcppoPessimismExperiment(),
        new DemoReg.BcRateExperiment(),
        new DemoReg.DecompositionExperiment(),
        new DemoReg.RateExperiment(),
        new Ddc.DdcRustExperiment(),
    ];

    /// <summary>The experiment whose id (or its lower-case command name) is <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No experiment has that name.</exception>
    public static IExperiment Find(string name)
        => All.FirstOrDefault(e => string.Equals(e.Id, name, StringComparison.OrdinalIgnoreCase))
           ?? throw new ArgumentException($"'{name}' is not an experiment; the experiments are {string.Join(", ", All.Select(e => e.Id.ToLowerInvariant()))}");
}
