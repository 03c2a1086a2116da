using TabularRL.Cuda;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;

namespace TabularRL.Tests.Backends;

/// <summary>A backend under test and the name its failures are reported under.</summary>
internal sealed record NamedBackend(string Name, IBellmanBackend Backend);

/// <summary>
/// The backends a contract test compares with the oracle, owned by the test and disposed with it (a backend may hold
/// worker threads). Each test method gets its own instances, so no backend is called from two tests at once.
/// </summary>
internal sealed class BackendSet : IDisposable
{
    public BackendSet(params NamedBackend[] members)
    {
        Members = members;
    }

    /// <summary>The backends, in the order their failures are listed.</summary>
    public IReadOnlyList<NamedBackend> Members { get; }

    /// <summary>
    /// The reference backend (which checks the comparison itself: it must match the oracle exactly), the CPU backend
    /// on one to four threads, and the CUDA backend where a device is present (<see cref="CudaAvailability"/>; each
    /// contract class then reports a skipped <c>Cuda_DevicePresent_IsAmongTheBackendsUnderTest</c> with the reason where
    /// it is not). A new backend is one more line here.
    /// </summary>
    public static BackendSet UnderTest()
    {
        var members = new List<NamedBackend>
        {
            new("reference", new ReferenceBackend()),
            new("cpu(1 thread)", new CpuBackend(1)),
            new("cpu(2 threads)", new CpuBackend(2)),
            new("cpu(3 threads)", new CpuBackend(3)),
            new("cpu(4 threads)", new CpuBackend(4)),
        };
        if (CudaAvailability.Present) members.Add(new("cuda", new CudaBackend()));
        return new BackendSet([.. members]);
    }

    /// <summary>Fails unless the CUDA backend is a member (for the contract classes' CUDA check).</summary>
    public void AssertIncludesCuda()
        => Assert.Contains(Members, m => m.Name == "cuda" && m.Backend is CudaBackend);

    public void Dispose()
    {
        foreach (var member in Members)
            member.Backend.Dispose();
    }
}
