using TabularRL.Theory.Claims;

namespace TabularRL.Tests.Claims;

/// <summary>The catalogue's runner: a claim that cannot finish becomes a failed row naming why, and the run goes on.</summary>
public sealed class ClaimCatalogueTests
{
    private sealed class Throwing : IClaim
    {
        public string Id => "THROWS";

        public string Source => "test";

        public ClaimResult Check(ClaimInstances instances, int count) => throw new ArgumentException("no instance fits");
    }

    [Fact]
    public void Run_ClaimThatThrows_IsAFailedRowAndTheNextClaimStillRuns()
    {
        using var backend = new TabularRL.Kernels.Backends.CpuBackend(1);
        var rows = ClaimCatalogue.Run([new Throwing(), new OccupancyClaim()], seed: 1, count: 5, backend).ToList();
        Assert.False(rows[0].Passed);
        Assert.Contains("no instance fits", rows[0].Detail);
        Assert.True(rows[1].Passed, rows[1].Observed);
    }
}
