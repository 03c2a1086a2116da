using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Backends;

/// <summary>Tests that measure the whole process's allocations run alone, after every parallel test.</summary>
[CollectionDefinition(nameof(AllocationMeasurement), DisableParallelization = true)]
public sealed class AllocationMeasurement;

/// <summary>
/// A solver calls a backup thousands of times, so the CPU backend must not allocate per call: after a warm-up,
/// <see cref="Calls"/> calls on two threads over 20000 states (ten blocks) allocate less than one object per call in
/// total. Allocations are counted for all threads (<see cref="GC.GetTotalAllocatedBytes"/>, precise), since worker
/// threads allocate too.
/// </summary>
/// <remarks>
/// The count is process-wide, so anything else running (the test runner's own threads) can only add to it. Each
/// measurement is repeated in <see cref="Windows"/> windows and the smallest is compared with the budget: noise
/// cannot make a non-allocating backend fail every window, and a backend that allocates on every call exceeds the
/// budget in every window.
/// </remarks>
[Collection(nameof(AllocationMeasurement))]
public sealed class AllocationTests
{
    /// <summary>The sweeps measured.</summary>
    public enum Sweep
    {
        HardBackup,
        HardBackupValuesOnly,
        SoftBackup,
        KlBackup,
        DeterministicPolicyBackup,
    }

    private const int Calls = 20;
    private const int Windows = 3;

    // The smallest object on a 64-bit runtime (header, method table pointer, one field) is 24 bytes: a total below
    // Calls * 24 means that at least one call allocated nothing at all.
    private const long Budget = Calls * 24;

    private static readonly Lazy<KernelCase> Model = new(() => new KernelCase(KernelShape.Unbalanced, 20000, 4, 0.95, 1.0, 1.0, Seed: 20));

    [Theory]
    [InlineData(Sweep.HardBackup)]
    [InlineData(Sweep.HardBackupValuesOnly)]
    [InlineData(Sweep.SoftBackup)]
    [InlineData(Sweep.KlBackup)]
    [InlineData(Sweep.DeterministicPolicyBackup)]
    public void CpuBackendTwoThreads_AfterWarmUp_AllocatesLessThanOneObjectPerCall(Sweep sweep)
    {
        var model = Model.Value.Model;
        var problem = model.Problem;
        int S = model.StateCount, A = model.ActionCount;
        var (q, v, argmax) = (new double[S * A], new double[S], new int[S]);
        using var backend = new CpuBackend(2);
        Action call = sweep switch
        {
            Sweep.HardBackup => () => backend.HardBackup(problem, model.VS, q, v, argmax),
            Sweep.HardBackupValuesOnly => () => backend.HardBackup(problem, model.VS, Memory<double>.Empty, v, Memory<int>.Empty),
            Sweep.SoftBackup => () => backend.SoftBackup(problem, 1.0, model.VS, q, v),
            Sweep.KlBackup => () => backend.KlBackup(problem, 1.0, model.LogReferenceSA, model.VS, q, v),
            _ => () => backend.DeterministicPolicyBackup(problem, model.ActionsS, model.VS, v),
        };
        var windows = Allocation.Windows(call, Calls, Windows);
        Assert.True(windows.Min() < Budget,
            $"{sweep} on CpuBackend(2), S = {S}: {Calls} calls allocated {string.Join(", ", windows)} bytes in {Windows} windows; budget < {Budget} (less than one object per call)");
    }
}

/// <summary>Process-wide allocation measurement.</summary>
internal static class Allocation
{
    /// <summary>Warms <paramref name="call"/> up, then returns the bytes allocated by all threads during each of <paramref name="windows"/> runs of <paramref name="calls"/> calls.</summary>
    public static long[] Windows(Action call, int calls, int windows)
    {
        // Enough calls for lazily created state (worker threads, buffers) to exist and for tiered compilation to have
        // promoted the hot methods (after 30 calls).
        for (int i = 0; i < 2 * calls; i++)
            call();
        var bytes = new long[windows];
        for (int w = 0; w < windows; w++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < calls; i++)
                call();
            bytes[w] = GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        return bytes;
    }
}
