using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TabularRL.Kernels.Rows;

/// <summary>The CSR row expectation sum_k p_k v[c_k], the inner loop of every Bellman backup.</summary>
/// <remarks>
/// With AVX2 the row runs in chunks of four: the indices load as one 128-bit vector, the values come from one
/// hardware gather, and a fused multiply-add accumulates. Two independent accumulators keep two gathers in flight,
/// which is what hides their latency when V does not sit in L1. The last n mod 4 entries are added in scalar, in
/// order, after the vector sum, so the summation order depends only on the row length: results are reproducible
/// across thread counts and partitions. Pointers instead of spans drop the bounds checks, and offsets stay 64-bit.
/// </remarks>
internal static unsafe class RowDot
{
    /// <summary>sum_k probabilities[k] * vS[columns[k]] over k in [0, length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Compute(double* probabilities, int* columns, long length, double* vS)
    {
        if (Avx2.IsSupported && Fma.IsSupported)
            return Gathered(probabilities, columns, length, vS);
        return Scalar(probabilities, columns, length, vS);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Gathered(double* p, int* c, long n, double* v)
    {
        long k = 0;
        double sum = 0;
        if (n >= 4)
        {
            var even = Vector256<double>.Zero;
            var odd = Vector256<double>.Zero;
            for (; k + 8 <= n; k += 8)
            {
                even = Fma.MultiplyAdd(Avx.LoadVector256(p + k), Avx2.GatherVector256(v, Sse2.LoadVector128(c + k), 8), even);
                odd = Fma.MultiplyAdd(Avx.LoadVector256(p + k + 4), Avx2.GatherVector256(v, Sse2.LoadVector128(c + k + 4), 8), odd);
            }
            if (k + 4 <= n)
            {
                even = Fma.MultiplyAdd(Avx.LoadVector256(p + k), Avx2.GatherVector256(v, Sse2.LoadVector128(c + k), 8), even);
                k += 4;
            }
            sum = Vector256.Sum(even + odd);
        }
        for (; k < n; k++)
            sum += p[k] * v[c[k]];
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Scalar(double* p, int* c, long n, double* v)
    {
        double even = 0, odd = 0;
        long k = 0;
        for (; k + 2 <= n; k += 2)
        {
            even += p[k] * v[c[k]];
            odd += p[k + 1] * v[c[k + 1]];
        }
        if (k < n)
            even += p[k] * v[c[k]];
        return even + odd;
    }
}
