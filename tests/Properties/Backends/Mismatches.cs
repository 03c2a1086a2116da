using System.Globalization;
using System.Text;

namespace TabularRL.Tests.Backends;

/// <summary>
/// Collects every backend's disagreements with the oracle on one input, so one failure names all the backends that
/// disagree (a failure on two to four threads but not on one points at the partition). Only a few lines per backend
/// and output are kept; messages are built only on failure, since the checks run millions of times.
/// </summary>
internal sealed class Mismatches
{
    private const int LinesPerOutput = 3;

    private readonly string _context;
    private readonly List<string> _lines = [];
    private readonly Dictionary<string, int> _counts = [];

    /// <param name="context">The primitive and the case, printed first.</param>
    public Mismatches(string context)
    {
        _context = context;
    }

    /// <summary>Whether nothing has been recorded.</summary>
    public bool IsEmpty => _counts.Count == 0;

    /// <summary>Records one disagreement of <paramref name="backend"/> in <paramref name="output"/>.</summary>
    public void Add(string backend, string output, string message)
    {
        string key = $"{backend}: {output}";
        int count = _counts.GetValueOrDefault(key) + 1;
        _counts[key] = count;
        if (count <= LinesPerOutput)
            _lines.Add($"  {key}{message}");
    }

    /// <summary>Each finite oracle entry must be matched within its bound; each non-finite one by a non-finite entry.</summary>
    /// <param name="actionCount">A to print indices as (s, a), or 0 for plain indices.</param>
    public void Entries(string backend, string output, ReadOnlySpan<double> oracle, ReadOnlySpan<double> actual,
        ReadOnlySpan<double> bound, int actionCount = 0)
    {
        for (int i = 0; i < oracle.Length; i++)
        {
            double expected = oracle[i], value = actual[i];
            bool ok = double.IsFinite(expected)
                ? double.IsFinite(value) && Math.Abs(value - expected) <= bound[i]
                : !double.IsFinite(value);
            if (!ok)
                Add(backend, output, $"[{Index(i, actionCount)}] = {R(value)}, oracle {R(expected)}, |difference| {R(Math.Abs(value - expected))} > bound {R(bound[i])}");
        }
    }

    /// <summary>The returned change must be NaN exactly when the oracle's is, and otherwise within the bound.</summary>
    public void Change(string backend, double oracle, double actual, double bound)
    {
        bool ok = double.IsNaN(oracle) ? double.IsNaN(actual) : !double.IsNaN(actual) && Math.Abs(actual - oracle) <= bound;
        if (!ok)
            Add(backend, "change", $" = {R(actual)}, oracle {R(oracle)}, bound {R(bound)}");
    }

    /// <summary>Writes outside the output slice.</summary>
    public void Guards<T>(string backend, string output, Guarded<T> buffer) where T : unmanaged
    {
        if (!buffer.GuardsIntact())
            Add(backend, output, " was written outside its slice");
    }

    /// <summary>Throws one exception listing every disagreement, if any.</summary>
    public void ThrowIfAny()
    {
        if (IsEmpty)
            return;
        var text = new StringBuilder(_context).AppendLine(" disagrees with the oracle:");
        foreach (string line in _lines)
            text.AppendLine(line);
        foreach (var (key, count) in _counts)
            if (count > LinesPerOutput)
                text.AppendLine($"  {key}: {count} entries in all");
        throw new Xunit.Sdk.XunitException(text.ToString());
    }

    public static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static string Index(int i, int actionCount) => actionCount == 0 ? $"{i}" : $"s={i / actionCount}, a={i % actionCount}";
}
