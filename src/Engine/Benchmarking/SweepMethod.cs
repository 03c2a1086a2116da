namespace TabularRL.Engine.Benchmarking;

/// <summary>A Bellman sweep of <see cref="Kernels.IBellmanBackend"/> that <see cref="SweepBenchmark"/> can time.</summary>
public enum SweepMethod
{
    /// <summary><c>hard</c>: max over actions with argmax output and no Q output.</summary>
    Hard,

    /// <summary><c>soft</c>: log-sum-exp over actions at temperature 1.</summary>
    Soft,

    /// <summary><c>kl</c>: KL-regularised backup towards the uniform policy, coefficient 1.</summary>
    Kl,

    /// <summary><c>policy</c>: evaluation sweep of the deterministic greedy policy of a hard sweep.</summary>
    Policy,

    /// <summary><c>gs</c>: one in-place Gauss-Seidel sweep in state order.</summary>
    GaussSeidel,
}

/// <summary>The short names of <see cref="SweepMethod"/> used on the command line and in reports.</summary>
public static class SweepMethodNames
{
    /// <summary>Every method, in the order a benchmark runs them.</summary>
    public static IReadOnlyList<SweepMethod> All { get; } = [SweepMethod.Hard, SweepMethod.Soft, SweepMethod.Kl, SweepMethod.Policy, SweepMethod.GaussSeidel];

    /// <summary>The short name: hard, soft, kl, policy or gs.</summary>
    /// <param name="method">The method.</param>
    public static string Name(this SweepMethod method) => method switch
    {
        SweepMethod.Hard => "hard",
        SweepMethod.Soft => "soft",
        SweepMethod.Kl => "kl",
        SweepMethod.Policy => "policy",
        SweepMethod.GaussSeidel => "gs",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown sweep method"),
    };

    /// <summary>The method with short name <paramref name="name"/>, or null when no method has it.</summary>
    /// <param name="name">hard, soft, kl, policy or gs.</param>
    public static SweepMethod? Parse(string name) => All.Select(m => (SweepMethod?)m).FirstOrDefault(m => m!.Value.Name() == name);
}
