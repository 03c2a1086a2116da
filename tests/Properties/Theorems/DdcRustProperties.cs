using TabularRL.Kernels.Backends;
using TabularRL.Theory.Claims;

namespace TabularRL.Tests.Theorems;

/// <summary>
/// DDC-RUST (THEORY.md sections 7 and 8; Rust 1987, Table IX): the NFXP estimates of group 4 reproduce the published
/// ones to 1e-3, a simulated panel is refitted to within 3 standard errors, and Q(x,1) - Q(x,0) = log P(1|x) - log P(0|x).
/// </summary>
public sealed class DdcRustProperties
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Claim_FixedSeeds_Holds(int seed)
    {
        using var backend = new ReferenceBackend();
        var result = new DdcRustClaim().Check(new ClaimInstances(seed, backend), 1);
        Assert.True(result.Passed, $"{result.Observed} ({result.Detail})");
    }
}
