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
    /// The reference backend (which checks the comparison itself: it must match the oracle exactly) and the CPU backend
    /// on one to four threads. A new backend is one more line here.
    /// </summary>
    public static BackendSet UnderTest() => new(
        new NamedBackend("reference", new ReferenceBackend()),
        new NamedBackend("cpu(1 thread)", new CpuBackend(1)),
        new NamedBackend("cpu(2 threads)", new CpuBackend(2)),
        new NamedBackend("cpu(3 threads)", new CpuBackend(3)),
        new NamedBackend("cpu(4 threads)", new CpuBackend(4)));

    public void Dispose()
    {
        foreach (var member in Members)
            member.Backend.Dispose();
    }
}
