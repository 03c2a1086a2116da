namespace TabularRL.Theory.Claims;

/// <summary>The claims of THEORY.md section 8 that <c>tabrl verify</c> checks, in catalogue order.</summary>
/// <remarks>DCPPO-RATE .. DDC-RUST run the experiments of <see cref="Experiments.ExperimentCatalogue"/> at their default size.</remarks>
public static class ClaimCatalogue
{
    /// <summary>Every claim, in catalogue order.</summary>
    public static IReadOnlyList<IClaim> All { get; } =
    [
        new BellmanContractionClaim(),
        new SoftLimitsClaim(),
        new KlVariationalClaim(),
        new OccupancyClaim(),
        new ShapingInvarianceClaim(),
        new OrderingClaim(),
        new CanonClaim(),
        new MinimalityClaim(),
        new StarcZeroClaim(),
        new StarcUpperClaim(),
        new StarcLowerClaim(),
        new StarcEquivClaim(),
        new EpicFailsClaim(),
        new BoltzmannInvarianceClaim(),
        new TempMisspecClaim(),
        new DiscountMisspecClaim(),
        new TransitionMisspecClaim(),
        new PerturbationClaim(),
        .. Experiments.ExperimentCatalogue.All.Select(e => new Experiments.ExperimentClaim(e)),
    ];

    /// <summary>The claims named in <paramref name="names"/> (ids, case-insensitive), or all when it is empty.</summary>
    /// <exception cref="ArgumentException">A name is not a claim id.</exception>
    public static IReadOnlyList<IClaim> Select(IReadOnlyCollection<string> names)
    {
        if (names.Count == 0) return All;
        foreach (string name in names)
            if (!All.Any(c => string.Equals(c.Id, name, StringComparison.OrdinalIgnoreCase)))
                throw new ArgumentException($"--only: '{name}' is not a claim; the claims are {string.Join(", ", All.Select(c => c.Id))}");
        return All.Where(c => names.Any(n => string.Equals(c.Id, n, StringComparison.OrdinalIgnoreCase))).ToList();
    }

    /// <summary>Runs <paramref name="claims"/>, each on its own generator seeded from <paramref name="seed"/> and its id, so that one claim's result does not depend on which others run.</summary>
    public static IEnumerable<ClaimResult> Run(IReadOnlyList<IClaim> claims, int seed, int count, Kernels.IBellmanBackend backend)
    {
        foreach (var claim in claims)
        {
            ClaimResult result;
            try
            {
                result = claim.Check(new ClaimInstances(SeedFor(seed, claim.Id), backend), count);
            }
            catch (Exception e) when (e is ArgumentException or ArithmeticException or Engine.Solvers.NumericalException or InvalidOperationException)
            {
                // A claim that cannot finish is a failed row that says why, not the end of the run.
                result = new ClaimResult(claim.Id, claim.Source, count, "did not finish", "every instance checked", false, $"{e.GetType().Name}: {e.Message}");
            }
            yield return result;
        }
    }

    // A stable hash (string.GetHashCode is randomised per process).
    private static int SeedFor(int seed, string id)
    {
        unchecked
        {
            int hash = seed * 16777619 ^ (int)2166136261;
            foreach (char ch in id) hash = (hash ^ ch) * 16777619;
            return hash & int.MaxValue;
        }
    }
}
