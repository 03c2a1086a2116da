using System.Runtime.CompilerServices;
using TabularRL.Kernels.Parallelism;

namespace TabularRL.Kernels.Sweeps;

/// <summary>A sweep over all states, split into nnz-balanced ranges that a <see cref="WorkerTeam"/> runs in parallel.</summary>
/// <remarks>
/// Each range returns the sup-norm change of its states, or NaN if a new value is not finite; the results combine
/// by a maximum that keeps NaN, which is exact and order-free. The per-state arithmetic does not depend on the range
/// a state falls in, so results are bitwise identical for any number of threads. An instance holds the arguments of
/// the sweep in progress in fields (no closure, no allocation per sweep) and so runs one sweep at a time.
/// </remarks>
internal abstract class PartitionedSweep : IPartitionedJob
{
    /// <summary>Below this many stored entries a sweep runs on the caller's thread: waking workers would cost more.</summary>
    private const long ParallelMinimumEntries = 1 << 15;

    private readonly WorkerTeam _team;
    private readonly int[] _boundaries;
    private readonly double[] _partChange;
    private readonly Lock _lock = new();

    /// <summary>Creates the sweep for <paramref name="team"/>.</summary>
    protected PartitionedSweep(WorkerTeam team)
    {
        _team = team;
        _boundaries = new int[team.Size + 1];
        _partChange = new double[team.Size];
    }

    /// <summary>Guards the argument fields: take it for the whole of a public call.</summary>
    protected Lock Gate => _lock;

    /// <inheritdoc/>
    public void Execute(int part) => _partChange[part] = Sweep(_boundaries[part], _boundaries[part + 1], part);

    /// <summary>Runs <see cref="Sweep"/> over states [0, stateCount) and returns the combined change.</summary>
    /// <param name="rowPointers">The CSR row pointers, for balancing.</param>
    /// <param name="stateCount">Number of states (or rows of a plain matrix).</param>
    /// <param name="rowsPerState">Rows per state: A, or 1.</param>
    protected double RunAll(ReadOnlySpan<long> rowPointers, int stateCount, int rowsPerState)
    {
        if (_team.Size == 1 || rowPointers[^1] - rowPointers[0] < ParallelMinimumEntries)
            return Sweep(0, stateCount, 0);
        StatePartition.Balance(rowPointers, stateCount, rowsPerState, _boundaries);
        _team.Run(this);
        double change = 0;
        foreach (double c in _partChange)
            change = Combine(change, c);
        return change;
    }

    /// <summary>Computes states [start, end) and returns their sup-norm change, NaN if a value is not finite.</summary>
    /// <remarks>
    /// Implementations are marked <see cref="System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization"/>:
    /// a solve calls a sweep tens to hundreds of times, too few for tiered compilation to replace its first, unoptimised
    /// code in time (measured: a soft sweep ran 4x slower in its first 30 calls).
    /// </remarks>
    /// <param name="start">First state, a multiple of <see cref="StatePartition.Alignment"/>.</param>
    /// <param name="end">One past the last state.</param>
    /// <param name="part">The part index, for per-part scratch.</param>
    protected abstract double Sweep(int start, int end, int part);

    /// <summary>Maximum that keeps NaN, so a non-finite range is never hidden by a finite one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Combine(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);

    /// <summary>|new - old|, or NaN when the new value is not finite, so that overflow is reported rather than clipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Change(double updated, double previous)
        => double.IsFinite(updated) ? Math.Abs(updated - previous) : double.NaN;
}
