namespace TabularRL.Kernels.Backends;

/// <summary>Creates a backend from its <c>--backend</c> name; no global state, the caller owns the instance.</summary>
public static class BackendFactory
{
    /// <summary>The names accepted by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", "cpu", "cuda", "reference"];

    /// <summary>Creates the named backend; <c>auto</c> picks the fastest available one.</summary>
    /// <param name="name">One of <see cref="Names"/>, case-insensitive.</param>
    /// <exception cref="ArgumentException">The name is unknown or the backend is not available here.</exception>
    public static IBellmanBackend Create(string name)
    {
        switch (name.Trim().ToLowerInvariant())
        {
            case "auto":
            case "cpu":
                return new CpuBackend();
            case "reference":
                return new ReferenceBackend();
            case "cuda":
                throw new ArgumentException("backend 'cuda' is not available: this build has no GPU backend", nameof(name));
            default:
                throw new ArgumentException($"unknown backend '{name}' (expected one of {string.Join(", ", Names)})", nameof(name));
        }
    }
}
