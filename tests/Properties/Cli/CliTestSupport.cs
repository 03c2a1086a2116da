using System.Text.Json;
using TabularRL.Cli;
using TabularRL.Engine.Io;

namespace TabularRL.Tests.Cli;

/// <summary>What one in-process run of <c>tabrl</c> produced.</summary>
internal sealed record CliRun(string[] Args, int ExitCode, string Out, string Error)
{
    /// <summary>The non-empty lines of stderr.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Everything about the run, for assertion messages.</summary>
    public string Describe()
        => $"tabrl {string.Join(' ', Args)}\nexit code {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";

    /// <summary>Parses stdout as one JSON document.</summary>
    public JsonElement Json()
    {
        try
        {
            using var document = JsonDocument.Parse(Out);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"stdout is not JSON ({e.Message})\n{Describe()}");
        }
    }
}

/// <summary>Runs the CLI in-process and checks the contract's rules for successes and failures (INTERFACES.md section 4).</summary>
internal static class Tabrl
{
    /// <summary>Runs <c>tabrl</c> with stderr not a terminal (as under a test runner or a pipe).</summary>
    public static CliRun Run(params string[] args) => Run(errorIsTerminal: false, args);

    /// <summary>Runs <c>tabrl</c> with the given terminal flag for stderr.</summary>
    public static CliRun Run(bool errorIsTerminal, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = CliApp.Run(args, new CliConsole(stdout, stderr, errorIsTerminal));
        return new CliRun(args, code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs and asserts success: exit 0 and nothing on stderr (progress must never appear there off a terminal).</summary>
    public static CliRun Succeeds(params string[] args)
    {
        var run = Run(args);
        Assert.True(run.ExitCode == 0, "expected exit 0\n" + run.Describe());
        Assert.True(run.Error.Length == 0, "expected an empty stderr on success\n" + run.Describe());
        return run;
    }

    /// <summary>
    /// Runs and asserts a bad-input failure: exit 2, stderr exactly one line starting with <c>error:</c> that
    /// mentions every string of <paramref name="mentions"/>, no stack trace, and no file at <paramref name="outPath"/>.
    /// </summary>
    public static CliRun FailsWithBadInput(string? outPath, string[] args, params string[] mentions)
    {
        bool existed = outPath is not null && File.Exists(outPath);
        byte[]? before = existed ? File.ReadAllBytes(outPath!) : null;
        string? directory = outPath is null ? null : Path.GetDirectoryName(Path.GetFullPath(outPath));
        var listing = directory is not null && Directory.Exists(directory) ? Directory.GetFileSystemEntries(directory).Order().ToArray() : null;
        var run = Run(args);
        Assert.True(run.ExitCode == 2, "expected exit 2 (bad input)\n" + run.Describe());
        AssertOneErrorLine(run, mentions);
        if (outPath is not null)
        {
            if (existed)
                Assert.True(before!.AsSpan().SequenceEqual(File.ReadAllBytes(outPath)), "a failed run changed the existing --out file\n" + run.Describe());
            else
                Assert.False(File.Exists(outPath), "a failed run created the --out file\n" + run.Describe());
            if (listing is not null)
                Assert.True(listing.SequenceEqual(Directory.GetFileSystemEntries(directory!).Order()),
                    "a failed run added or removed files next to --out (temporary files?)\n" + run.Describe());
        }
        return run;
    }

    /// <summary>Asserts stderr is one <c>error:</c> line naming everything in <paramref name="mentions"/>, with no stack trace.</summary>
    public static void AssertOneErrorLine(CliRun run, params string[] mentions)
    {
        var lines = run.ErrorLines;
        Assert.True(lines.Length == 1, $"expected exactly one line on stderr, got {lines.Length}\n" + run.Describe());
        Assert.True(lines[0].StartsWith("error:", StringComparison.Ordinal), "the stderr line must start with 'error:'\n" + run.Describe());
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("Exception", run.Error);
        foreach (string mention in mentions)
            Assert.True(lines[0].Contains(mention, StringComparison.Ordinal), $"the error line should mention '{mention}'\n" + run.Describe());
    }
}

/// <summary>A scratch directory deleted with its contents at the end of a test.</summary>
internal sealed class CliScratch : IDisposable
{
    public CliScratch()
    {
        Root = Directory.CreateTempSubdirectory("tabrl-cli-tests-").FullName;
    }

    public string Root { get; }

    public string this[string name] => Path.Combine(Root, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

/// <summary>Model, policy and reward files written with the engine's own writers.</summary>
internal static class CliModels
{
    public const int S = 3, A = 2;
    public const double Discount = 0.9;

    /// <summary>V* of the forest model (pymdptoolbox's forest example, discount 0.9).</summary>
    public static readonly double[] ForestValues = [26.244, 29.484, 33.484];

    /// <summary>The pymdptoolbox forest example (S=3, wait/cut, r1=4, r2=2, p=0.1) as CSR arrays, uniform mu0.</summary>
    public static Dictionary<string, NdArray> Forest() => new(StringComparer.Ordinal)
    {
        ["num_states"] = NdArray.Scalar(3L),
        ["num_actions"] = NdArray.Scalar(2L),
        ["discount"] = NdArray.Scalar(Discount),
        ["transitions_indptr"] = NdArray.FromLongs([0, 2, 3, 5, 6, 8, 9], 7),
        ["transitions_indices"] = NdArray.FromInts([0, 1, 0, 0, 2, 0, 0, 2, 0], 9),
        ["transitions_data"] = NdArray.FromDoubles([0.1, 0.9, 1.0, 0.1, 0.9, 1.0, 0.1, 0.9, 1.0], 9),
        ["rewards"] = NdArray.FromDoubles([0, 0, 0, 1, 4, 2], 3, 2),
    };

    /// <summary>The same model with dense [S,A,S] transitions.</summary>
    public static Dictionary<string, NdArray> ForestDense()
    {
        var arrays = Forest();
        arrays.Remove("transitions_indptr");
        arrays.Remove("transitions_indices");
        arrays.Remove("transitions_data");
        arrays["transitions"] = NdArray.FromDoubles(
        [
            0.1, 0.9, 0.0, 1.0, 0.0, 0.0,
            0.1, 0.0, 0.9, 1.0, 0.0, 0.0,
            0.1, 0.0, 0.9, 1.0, 0.0, 0.0,
        ], 3, 2, 3);
        return arrays;
    }

    public static string Write(string path, Dictionary<string, NdArray> arrays)
    {
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) JsonArrays.Write(path, arrays);
        else NpzArchive.Write(path, arrays);
        return path;
    }

    public static string WriteNpy(string path, NdArray array)
    {
        NpyFormat.WriteFile(path, array);
        return path;
    }

    /// <summary>The optimal deterministic policy of the forest model (wait everywhere) as int actions.</summary>
    public static NdArray WaitEverywhere() => NdArray.FromLongs([0, 0, 0], 3);

    /// <summary>A stochastic [S,A] policy.</summary>
    public static NdArray Stochastic() => NdArray.FromDoubles([0.5, 0.5, 0.25, 0.75, 0.9, 0.1], 3, 2);

    public static double[] Doubles(JsonElement e)
    {
        var list = new List<double>();
        Flatten(e, list);
        return [.. list];
    }

    private static void Flatten(JsonElement e, List<double> into)
    {
        if (e.ValueKind == JsonValueKind.Array)
            foreach (var item in e.EnumerateArray()) Flatten(item, into);
        else into.Add(e.GetDouble());
    }

    /// <summary>The shape of a nested JSON list.</summary>
    public static int[] Shape(JsonElement e)
    {
        var shape = new List<int>();
        while (e.ValueKind == JsonValueKind.Array)
        {
            shape.Add(e.GetArrayLength());
            if (e.GetArrayLength() == 0) break;
            e = e[0];
        }
        return [.. shape];
    }
}
