using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TabularRL.Kernels.Rows;

/// <summary>The natural logarithm of eight lanes at once, within 1 ulp of <see cref="Math.Log(double)"/>.</summary>
/// <remarks>
/// Written here because it shortens the soft and KL sweeps where the hard sweep runs at the memory's speed: with two
/// threads on the local garnet S = 1e5 (five paired runs of <c>tabrl bench FILE --methods hard,soft,kl</c>), soft / hard
/// went from 1.34-1.62 with <see cref="Vector512.Log(Vector512{double})"/> to 1.25-1.32 with this one. In isolation
/// the runtime's log has the higher throughput (<c>--filter '*VectorMath*'</c>), and at one thread the sweeps differed
/// by only 1-3%, so it was dropped once (commit 1dff108); what the sweep waits on with two threads is the log's place
/// at the end of each group's chain, not its throughput.
/// Method (the classical argument reduction, as in Tang's and fdlibm's logarithms): x = 2^e m with m in
/// [sqrt(1/2), sqrt(2)), f = m - 1 (exact), s = f / (2 + f), so that log m = log(1 + f) = 2 atanh s
/// = f - (f^2/2 - s (f^2/2 + R)) with R = sum_{k>=1} 2 s^(2k) / (2k + 1); |s| &lt;= 0.1716, so nine terms of the
/// series leave a truncation error below 2^-60 relative. Then log x = e ln2_hi + (log m + e ln2_lo) with ln 2 split
/// so that e ln2_hi is exact. Subnormal lanes are scaled by 2^54 first; 0 gives -infinity, +infinity itself, and
/// negative or NaN lanes NaN, as Math.Log does.
/// </remarks>
internal static class VectorLog
{
    // ln 2 = Ln2High + Ln2Low, as in VectorExp: Ln2High has its low bits zero, so e * Ln2High is exact for |e| < 2^11.
    private const double Ln2High = 0.6931471803691238;
    private const double Ln2Low = 1.9082149292705877e-10;
    private const double Sqrt2 = 1.4142135623730951;
    private const double TwoTo54 = 18014398509481984.0;
    private const long MantissaMask = 0x000F_FFFF_FFFF_FFFFL;
    private const long ExponentOfOne = 0x3FF0_0000_0000_0000L;

    /// <summary>log of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Log(Vector512<double> x)
    {
        // Subnormals: scale into the normal range and remember the 54 in the exponent.
        var subnormal = Vector512.LessThan(x, Vector512.Create(2.2250738585072014e-308));
        var scaled = Vector512.ConditionalSelect(subnormal, x * TwoTo54, x);
        var bits = scaled.AsInt64();
        var exponent = ((bits >>> 52) & Vector512.Create(0x7FFL)) - Vector512.Create(1023L)
                       - (subnormal.AsInt64() & Vector512.Create(54L));
        var m = ((bits & Vector512.Create(MantissaMask)) | Vector512.Create(ExponentOfOne)).AsDouble();
        var high = Vector512.GreaterThanOrEqual(m, Vector512.Create(Sqrt2));
        m = Vector512.ConditionalSelect(high, m * 0.5, m);
        exponent -= high.AsInt64(); // the mask is -1 where m was halved
        var e = Vector512.ConvertToDouble(exponent);

        var f = m - Vector512<double>.One;
        var s = f / (Vector512.Create(2.0) + f);
        var z = s * s;
        // R = z (2/3 + z (2/5 + ... + z 2/19)).
        var r = Vector512.Create(2.0 / 19.0);
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 17.0));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 15.0));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 13.0));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 11.0));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 9.0));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 7.0));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 5.0));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 3.0));
        r *= z;
        var halfSquare = Vector512.Create(0.5) * f * f;
        var logM = f - (halfSquare - Vector512.FusedMultiplyAdd(s, halfSquare + r, e * Ln2Low));
        var result = Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2High), logM);

        // Special lanes, as Math.Log: log 0 = -inf, log inf = inf, log of a negative or NaN = NaN.
        result = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<double>.Zero), Vector512.Create(double.NegativeInfinity), result);
        result = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(double.PositiveInfinity)), x, result);
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<double>.Zero), result, Vector512.Create(double.NaN));
    }
}
