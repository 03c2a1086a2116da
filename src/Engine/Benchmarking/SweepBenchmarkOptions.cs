namespace TabularRL.Engine.Benchmarking;

/// <summary>What <see cref="SweepBenchmark.Run"/> times and how often.</summary>
public sealed record SweepBenchmarkOptions
{
    /// <summary>Timed sweeps per method (at least 1); the report gives their median and minimum.</summary>
    public int Sweeps { get; init; } = 30;

    /// <summary>Untimed sweeps per method before the timed ones (at least 0), so that caches, the JIT and the values settle.</summary>
    public int WarmupSweeps { get; init; } = 2;

    /// <summary>The methods to time, in order; each at most once.</summary>
    public IReadOnlyList<SweepMethod> Methods { get; init; } = SweepMethodNames.All;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option, named with its value.</exception>
    /// <exception cref="ArgumentException">No methods, or a method listed twice.</exception>
    public void Validate()
    {
        if (Sweeps < 1)
            throw new ArgumentOutOfRangeException(nameof(Sweeps), Sweeps, $"{nameof(Sweeps)} must be >= 1.");
        if (WarmupSweeps < 0)
            throw new ArgumentOutOfRangeException(nameof(WarmupSweeps), WarmupSweeps, $"{nameof(WarmupSweeps)} must be >= 0.");
        if (Methods.Count == 0)
            throw new ArgumentException($"{nameof(Methods)} is empty.", nameof(Methods));
        if (Methods.Distinct().Count() != Methods.Count)
            throw new ArgumentException($"{nameof(Methods)} lists a method twice: {string.Join(", ", Methods.Select(m => m.Name()))}.", nameof(Methods));
    }
}
