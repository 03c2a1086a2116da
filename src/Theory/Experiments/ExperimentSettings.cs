using TabularRL.Kernels;

namespace TabularRL.Theory.Experiments;

/// <summary>How an experiment runs.</summary>
/// <param name="Seed">Seed of every random draw; the same seed gives the same report.</param>
/// <param name="Full">The slow, full-size version (more sizes and replicates) instead of the CI-sized default.</param>
/// <param name="Backend">Where the Bellman backups run.</param>
public sealed record ExperimentSettings(int Seed, bool Full, IBellmanBackend Backend);
