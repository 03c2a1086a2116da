using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace TabularRL.Cuda;

/// <summary>The CUDA C sources embedded in this assembly (<c>src/Cuda/Kernels</c>), and the PTX shipped beside them when there is some.</summary>
internal static partial class KernelSources
{
    private const string SourcePrefix = "TabularRL.Cuda.Kernels.";
    private const string PtxPrefix = "TabularRL.Cuda.Ptx.";

    /// <summary>The names of every embedded source and header (e.g. <c>bellman.cu</c>, <c>rows.cuh</c>), in ordinal order.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(KernelSources).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(SourcePrefix, StringComparison.Ordinal))
        .Select(n => n[SourcePrefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The bytes of one embedded source.</summary>
    public static byte[] Bytes(string name)
    {
        using var stream = typeof(KernelSources).Assembly.GetManifestResourceStream(SourcePrefix + name)
            ?? throw new InvalidOperationException($"kernel source '{name}' is not embedded in TabularRL.Cuda");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The text of one embedded source.</summary>
    public static string Text(string name) => Encoding.UTF8.GetString(Bytes(name));

    /// <summary>
    /// SHA-256 (lower-case hex) over the bytes of every embedded source in ordinal name order, concatenated: what
    /// <c>cd src/Cuda/Kernels &amp;&amp; cat $(LC_ALL=C ls *.cu *.cuh) | sha256sum</c> prints. It keys the PTX cache and
    /// is written into shipped PTX by make_ptx.sh, so stale PTX is recognised.
    /// </summary>
    public static string Hash { get; } = ComputeHash();

    private static string ComputeHash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string name in Names) sha.AppendData(Bytes(name));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The entry points a source declares: every <c>extern "C" __global__ void name(params)</c>, with its parameter kinds.</summary>
    public static IReadOnlyList<KernelSignature> EntryPoints(string name)
    {
        var found = new List<KernelSignature>();
        foreach (Match m in EntryPointPattern().Matches(Text(name)))
        {
            var parameters = m.Groups["params"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(ParameterKind).ToArray();
            found.Add(new KernelSignature(name, m.Groups["name"].Value, parameters));
        }
        return found;
    }

    private static KernelParameter ParameterKind(string declaration)
    {
        if (declaration.Contains('*')) return KernelParameter.Pointer;
        string type = Regex.Replace(declaration, @"\s+\w+$", "").Replace("const", "").Trim();
        return Regex.Replace(type, @"\s+", " ") switch
        {
            "int" => KernelParameter.Int32,
            "long long" => KernelParameter.Int64,
            "double" => KernelParameter.Double,
            _ => throw new FormatException($"kernel parameter '{declaration}' has a type the host cannot marshal"),
        };
    }

    [GeneratedRegex(@"extern\s+""C""\s+__global__\s+void\s+(?<name>\w+)\s*\((?<params>[^)]*)\)", RegexOptions.Singleline)]
    private static partial Regex EntryPointPattern();

    /// <summary>The shipped PTX resources: (module stem, architecture such as 80, resource name).</summary>
    public static IReadOnlyList<(string Stem, int Architecture, string Resource)> ShippedPtx()
    {
        var list = new List<(string, int, string)>();
        foreach (string resource in typeof(KernelSources).Assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(PtxPrefix, StringComparison.Ordinal)) continue;
            // TabularRL.Cuda.Ptx.<stem>.compute_<XY>.ptx
            var m = Regex.Match(resource[PtxPrefix.Length..], @"^(?<stem>\w+)\.compute_(?<arch>\d+)\.ptx$");
            if (m.Success) list.Add((m.Groups["stem"].Value, int.Parse(m.Groups["arch"].Value), resource));
        }
        return list;
    }

    /// <summary>The text of a shipped PTX resource.</summary>
    public static string ShippedPtxText(string resource)
    {
        using var stream = typeof(KernelSources).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"PTX resource '{resource}' is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
