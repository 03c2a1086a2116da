using System.Collections.Concurrent;
using System.Globalization;
using TabularRL.Engine.Generators;
using TabularRL.Engine.Model;

namespace TabularRL.Benchmarks;

/// <summary>The seeded garnets every suite runs on, their sizes, and a per-process cache of the generated models.</summary>
/// <remarks>
/// Every (s, a) of a garnet has exactly K successors, so nnz = S*A*K is known from the parameters alone; the
/// <see cref="BandwidthColumn"/> relies on that, because it runs in the host process, which never builds the model.
/// By default BenchmarkDotNet runs each case in its own process, where the cache holds a single model; it pays off
/// with <c>--inProcess</c>, where all cases with the same (S, successors) share one model.
/// </remarks>
internal static class BenchmarkModels
{
    /// <summary>A, the number of actions.</summary>
    public const int Actions = 4;

    /// <summary>K, the number of distinct successors of every (s, a).</summary>
    public const int Branching = 10;

    /// <summary>W of the "local" garnets: successors of s lie in {s-W, ..., s+W} modulo S.</summary>
    public const int Locality = 1000;

    /// <summary>gamma of every benchmark model (the sweeps' cost does not depend on it; the solves' does).</summary>
    public const double Discount = 0.99;

    /// <summary>The seed of every benchmark model.</summary>
    public const int Seed = 1;

    /// <summary>The successor kind "random": next states drawn from all S states.</summary>
    public const string Random = "random";

    /// <summary>The successor kind "local": next states drawn within <see cref="Locality"/> of s.</summary>
    public const string Local = "local";

    /// <summary>Overrides every suite's state counts, e.g. <c>TABRL_BENCH_STATES=1000,2000</c> for a quick smoke test.</summary>
    public const string StatesVariable = "TABRL_BENCH_STATES";

    private static readonly ConcurrentDictionary<GarnetOptions, Mdp> Cache = new();

    /// <summary>The state counts to sweep: <paramref name="defaults"/>, or the list in <see cref="StatesVariable"/> when it is set.</summary>
    /// <param name="defaults">The suite's own sizes.</param>
    /// <exception cref="ArgumentException">The variable is set but is not a comma-separated list of positive integers.</exception>
    public static IEnumerable<int> States(params int[] defaults)
    {
        string? text = Environment.GetEnvironmentVariable(StatesVariable);
        if (string.IsNullOrWhiteSpace(text)) return defaults;
        var states = new List<int>();
        foreach (string item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) || s < Branching)
                throw new ArgumentException($"{StatesVariable}: '{item}' is not an integer >= K = {Branching} (expected e.g. 1000,2000)");
            states.Add(s);
        }
        return states;
    }

    /// <summary>The garnet with S = <paramref name="states"/>, A = 4, K = 10, gamma = 0.99, seed 1, built once per process.</summary>
    /// <param name="states">S.</param>
    /// <param name="successors"><see cref="Random"/> or <see cref="Local"/>.</param>
    /// <exception cref="ArgumentException">Unknown successor kind.</exception>
    public static Mdp Garnet(int states, string successors)
    {
        int? locality = successors switch
        {
            Random => null,
            Local => Locality,
            _ => throw new ArgumentException($"unknown successor kind '{successors}' (expected {Random} or {Local})", nameof(successors)),
        };
        var options = new GarnetOptions
        {
            States = states,
            Actions = Actions,
            Branching = Branching,
            Locality = locality,
            Discount = Discount,
            Seed = Seed,
        };
        // GarnetOptions is a record, so equal options are one key.
        return Cache.GetOrAdd(options, Engine.Generators.Garnet.Create);
    }

    /// <summary>Initial values that differ between neighbouring states, so that no backup is trivially constant.</summary>
    /// <param name="states">S.</param>
    /// <returns>[S] values v(s) = s mod 7.</returns>
    public static double[] Values(int states)
    {
        var vS = new double[states];
        for (int s = 0; s < states; s++) vS[s] = s % 7;
        return vS;
    }
}
