using System.Globalization;

namespace TabularRL.Engine.Model;

/// <summary>Formatting of values and row labels in error messages, so every message names places the same way.</summary>
internal static class Format
{
    /// <summary>A double in shortest round-trip form, so the value in a message is the value in the file.</summary>
    public static string Value(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The row label (s=.., a=..) or (h=.., s=.., a=..) of CSR row <paramref name="row"/>.</summary>
    /// <param name="row">Row index h*S*A + s*A + a.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="staged">Whether rows carry a stage index.</param>
    public static string Row(long row, int stateCount, int actionCount, bool staged)
    {
        long perStage = (long)stateCount * actionCount;
        long h = row / perStage;
        long s = row % perStage / actionCount;
        long a = row % actionCount;
        return staged ? $"(h={h}, s={s}, a={a})" : $"(s={s}, a={a})";
    }

    /// <summary>A shape as numpy prints it, e.g. (3, 4).</summary>
    public static string Shape(IReadOnlyList<long> shape)
        => shape.Count == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
}
