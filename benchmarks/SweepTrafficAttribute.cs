namespace TabularRL.Benchmarks;

/// <summary>Which transition rows a sweep must read: all S*A of them, or the S rows a deterministic policy selects.</summary>
internal enum SweepRows
{
    /// <summary>Every (s, a): the hard, soft, KL and Gauss-Seidel backups.</summary>
    AllActions,

    /// <summary>One (s, pi(s)) per state: the deterministic policy sweep.</summary>
    SelectedAction,
}

/// <summary>Marks a benchmark as one sweep over a garnet, so that <see cref="BandwidthColumn"/> can price its compulsory traffic.</summary>
/// <param name="rows">Which transition rows the sweep reads.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class SweepTrafficAttribute(SweepRows rows) : Attribute
{
    /// <summary>Which transition rows the sweep reads.</summary>
    public SweepRows Rows { get; } = rows;

    /// <summary>The bytes a sweep cannot avoid moving between memory and the cores, each array touched once.</summary>
    /// <param name="states">S.</param>
    /// <param name="actions">A.</param>
    /// <param name="branching">K, the entries of every row (a garnet has exactly K), so nnz = S*A*K.</param>
    /// <remarks>
    /// Per transition entry a double probability and an int column (12 bytes); per row read a long row pointer and a
    /// double reward (16 bytes); per state a double value read, a double value written and an int action (20 bytes:
    /// the argmax written, or the policy's action read). All rows: 12 nnz + 16 S A + 20 S; the rows a deterministic
    /// policy selects: 12 nnz_pi + 16 S + 20 S with nnz_pi = S K. The soft and KL backups are priced with the same
    /// full-sweep formula as <c>tabrl bench</c> uses, though they write no argmax (4 S fewer) and the KL backup also
    /// reads log piRef (8 S A more), so their GB/s is comparable across methods rather than exact.
    /// </remarks>
    public double CompulsoryBytes(long states, long actions, long branching) => Rows switch
    {
        SweepRows.SelectedAction => 12.0 * states * branching + 16.0 * states + 20.0 * states,
        _ => 12.0 * states * actions * branching + 16.0 * states * actions + 20.0 * states,
    };
}
