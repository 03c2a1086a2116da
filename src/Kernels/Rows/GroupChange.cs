using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TabularRL.Kernels.Rows;

/// <summary>
/// The sup-norm change max |new - old| over whole groups of eight states, one state per lane, under the rule of
/// <see cref="Sweeps.PartitionedSweep.Change(double, double)"/>: NaN as soon as a new value is not finite (or a difference is NaN).
/// </summary>
/// <remarks>
/// The regularised sweeps produce their values eight at a time (<see cref="GroupLogSumExp"/>); taking the change in
/// the same vectors, instead of lane by lane through scalars, took soft / hard from 1.21-1.32 to 1.16-1.26 on the
/// local garnet S = 1e5 (four paired runs of <c>tabrl bench FILE --methods hard,soft,kl</c>, two threads). A maximum
/// does not depend on the order of its operands, so the result is the scalar loop's, bit for bit.
/// </remarks>
internal struct GroupChange
{
    private Vector512<double> _largest;
    private Vector512<double> _valid = Vector512<double>.AllBitsSet;

    /// <summary>An empty accumulator (change 0).</summary>
    public GroupChange()
    {
    }

    /// <summary>Takes eight states' new and previous values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(Vector512<double> updated, Vector512<double> previous)
    {
        var difference = Vector512.Abs(updated - previous);
        _largest = Vector512.Max(_largest, difference);
        _valid &= Vector512.LessThan(Vector512.Abs(updated), Vector512.Create(double.PositiveInfinity))
                  & Vector512.Equals(difference, difference);
    }

    /// <summary>The change so far, NaN if any new value was not finite.</summary>
    public readonly double Total
    {
        get
        {
            if (_valid.AsUInt64() != Vector512<ulong>.AllBitsSet) return double.NaN;
            // Every lane is a number here, so the halving maxima are exact and need no NaN rule.
            var half = Vector256.Max(_largest.GetLower(), _largest.GetUpper());
            var quarter = Vector128.Max(half.GetLower(), half.GetUpper());
            return Math.Max(quarter[0], quarter[1]);
        }
    }
}
