using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace TabularRL.Tests.Generators;

/// <summary>Runs an FsCheck property inside an xunit test with a fixed, replayable seed and a CI-sized case count.</summary>
/// <remarks>
/// The seed of a property is derived from the calling test's name, so every run of the suite draws the same cases
/// (a failure on CI fails the same way on a laptop). Set <c>TABRL_PROPERTY_SEED=seed,gamma</c> (two unsigned
/// integers, gamma odd) to replay another stream, e.g. one reported by a failure, or <c>TABRL_PROPERTY_SEED=random</c>
/// for a fresh draw; the seed in use is part of every failure message. The configuration is
/// <see cref="Config.QuickThrowOnFailure"/>, so a falsified property throws with the counterexample's
/// <c>ToString()</c> (every generated case prints all of its numbers in round-trip form).
/// </remarks>
public static class PropertyCheck
{
    /// <summary>Cases for cheap properties (tiny models, a handful of backups): about 1 s on two cores.</summary>
    public const int DefaultCases = 100;

    /// <summary>Cases for properties that run several full solves per case.</summary>
    public const int SolverCases = 40;

    /// <summary>Environment variable that overrides the seed.</summary>
    public const string SeedVariable = "TABRL_PROPERTY_SEED";

    /// <summary>Checks <paramref name="body"/> on <paramref name="cases"/> draws of <paramref name="arbitrary"/>; xunit asserts inside fail it.</summary>
    public static void Run<T>(Arbitrary<T> arbitrary, Action<T> body, int cases = DefaultCases, [CallerMemberName] string name = "")
        => Check(Prop.ForAll(arbitrary, body), cases, name);

    /// <summary>Checks a property that may discard draws (return <see cref="Discard"/>) and otherwise asserts.</summary>
    public static void Run<T>(Arbitrary<T> arbitrary, Func<T, Property> body, int cases = DefaultCases, [CallerMemberName] string name = "")
        => Check(Prop.ForAll(arbitrary, body), cases, name);

    /// <summary>The outcome of a draw that satisfied every assertion.</summary>
    public static Property Pass => Prop.ToProperty(true);

    /// <summary>Throws the draw away without counting it (the caller's comment must say why it is degenerate).</summary>
    // Prop.When(condition, property): a false condition discards the draw (the (bool, bool) overload reads the other way round).
    public static Property Discard => Prop.When(false, () => true);

    private static void Check(Property property, int cases, string name)
    {
        var (seed, gamma) = SeedFor(name);
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(cases)
            // Discards are rare by construction; allow up to four per kept case before FsCheck gives up.
            .WithMaxRejected(4 * cases)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, gamma), FSharpOption<int>.None)));
        try
        {
            FsCheck.Check.One(name, config, property);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\nReplay: {SeedVariable}={seed},{gamma}");
        }
    }

    private static (ulong Seed, ulong Gamma) SeedFor(string name)
    {
        string? text = Environment.GetEnvironmentVariable(SeedVariable);
        if (string.Equals(text, "random", StringComparison.OrdinalIgnoreCase))
            return ((ulong)System.Random.Shared.NextInt64(), (ulong)System.Random.Shared.NextInt64() | 1);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var parts = text.Split(',');
            return (ulong.Parse(parts[0].Trim()), ulong.Parse(parts[1].Trim()) | 1);
        }
        // FNV-1a of the test name: stable across runs and machines, unlike string.GetHashCode.
        ulong hash = 14695981039346656037;
        foreach (char c in name)
            hash = (hash ^ c) * 1099511628211;
        return (hash, 0x9E3779B97F4A7C15);
    }
}
