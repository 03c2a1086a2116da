using System.Globalization;

namespace TabularRL.Theory.Claims;

/// <summary>The largest (or smallest) value seen over the instances of a claim, and which instance gave it.</summary>
internal sealed class WorstCase(bool largest = true)
{
    /// <summary>The extreme value so far (NaN before any observation).</summary>
    public double Value { get; private set; } = double.NaN;

    /// <summary>The instance that gave it.</summary>
    public string Instance { get; private set; } = "";

    /// <summary>Keeps <paramref name="value"/> if it is more extreme than the current one (NaN always wins: it is a failure).</summary>
    public void Observe(double value, string instance)
    {
        bool first = Instance.Length == 0;
        if (!first && double.IsNaN(Value)) return;
        if (first || double.IsNaN(value) || (largest ? value > Value : value < Value))
            (Value, Instance) = (value, instance);
    }

    /// <summary>The value in short scientific form.</summary>
    public override string ToString() => Format(Value);

    /// <summary>A number as the verify table prints it.</summary>
    public static string Format(double x) => x.ToString(Math.Abs(x) is >= 1e-3 and < 1e4 or 0 ? "0.####" : "0.##e+00", CultureInfo.InvariantCulture);
}
