using TabularRL.Engine.Model;
using TabularRL.Kernels.Backends;

namespace TabularRL.Tests.Backends;

/// <summary>
/// A batched solve on the CPU backend allocates nothing per sweep or per MDP once warmed up: each thread's scratch
/// vector is kept between solves, and the value buffers are the caller's. Counted process-wide
/// (<see cref="GC.GetTotalAllocatedBytes"/>), smallest of three windows, as <see cref="AllocationTests"/> does.
/// </summary>
[Collection(nameof(AllocationMeasurement))]
public sealed class BatchedAllocationTests
{
    [Fact]
    public void CpuBackendTwoThreads_SecondSolve_AllocatesLessThanOneObjectPerMdp()
    {
        // 64 garnets at gamma 0.9: about 200 sweeps each, so a solve runs some 13000 MDP sweeps.
        const int B = 64;
        var batch = BatchedMdp.FromModels(BatchCase.Garnets(B, 0.9)).Problem;
        var (v, a, e, k) = (new double[B * 50], new int[B * 50], new double[B], new int[B]);
        var backend = new CpuBackend(2);
        backend.ValueIteration(batch, 1e-8, 1_000_000, v, a, e, k);
        long smallest = long.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            Array.Clear(v);
            long before = GC.GetTotalAllocatedBytes(precise: true);
            backend.ValueIteration(batch, 1e-8, 1_000_000, v, a, e, k);
            smallest = Math.Min(smallest, GC.GetTotalAllocatedBytes(precise: true) - before);
        }
        Assert.True(k.Sum() > 100 * B, $"the solve ran only {k.Sum()} sweeps");
        Assert.True(smallest < 24 * B, $"a warmed-up batched solve allocated {smallest} bytes (budget {24 * B}: less than one object per MDP)");
    }
}
