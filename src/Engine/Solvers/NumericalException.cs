namespace TabularRL.Engine.Solvers;

/// <summary>A solver met a non-finite number (overflow or NaN); the message says which solver, when and where.</summary>
public sealed class NumericalException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line naming the solver, the iteration and the state.</param>
    public NumericalException(string message) : base(message)
    {
    }

    /// <summary>Throws if <paramref name="change"/> is NaN (the backends' signal for a non-finite value), naming the first bad state.</summary>
    internal static void ThrowIfNonFinite(double change, ReadOnlySpan<double> values, string solver, int iteration, int stage = -1)
    {
        if (!double.IsNaN(change)) return;
        int s = 0;
        while (s < values.Length && double.IsFinite(values[s])) s++;
        string where = s < values.Length ? $"state {s} has value {values[s]}" : "a value is not finite";
        string when = stage >= 0 ? $"at stage {stage}" : $"after {iteration} sweeps";
        throw new NumericalException($"{solver}: {where} {when} (overflow: rewards or temperature too large?)");
    }
}
