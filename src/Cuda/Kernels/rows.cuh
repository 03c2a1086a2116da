// Device helpers shared by bellman.cu and batched.cu (passed to NVRTC as a header named "rows.cuh").
// Double precision throughout, with the reference backend's formulas (src/Kernels/Backends/ReferenceBackend.cs).
#ifndef TABRL_ROWS_CUH
#define TABRL_ROWS_CUH

// NVRTC compiles without the C headers, so infinities and the finiteness test are spelled through bit patterns
// rather than INFINITY and isfinite from math.h.
#define TABRL_NEG_INF (__longlong_as_double((long long)0xFFF0000000000000ULL))

__device__ __forceinline__ bool tabrl_is_finite(double x)
{
    return ((unsigned long long)__double_as_longlong(x) & 0x7FF0000000000000ULL) != 0x7FF0000000000000ULL;
}

// sum_k P[k] x[column k] over one CSR row, in entry order (as the reference does). nvcc and NVRTC contract
// e += p * x into a fused multiply-add; the contract tests' bounds allow that (it only removes roundings).
__device__ __forceinline__ double row_expectation(const long long* __restrict__ row_pointers, const int* __restrict__ columns,
                                                  const double* __restrict__ values, long long row, const double* __restrict__ x)
{
    double e = 0.0;
    const long long end = row_pointers[row + 1];
    for (long long k = row_pointers[row]; k < end; ++k)
        e += values[k] * x[columns[k]];
    return e;
}

// The per-state change |vOut - vIn| as a max-reducible bit pattern. For non-negative doubles and a NaN with the sign
// bit clear, the order of the 64-bit patterns as unsigned integers is the order of the values, with NaN above +inf:
// 0 < subnormals < normals < +inf (0x7FF0...) < NaN (0x7FF8...). A maximum over the patterns is then exact, needs no
// floating-point comparison, does not depend on the order or grouping of the reduction, and returns NaN when any
// state's new value is not finite (IBellmanBackend: a backup returns NaN then).
__device__ __forceinline__ unsigned long long change_bits(double v_out, double v_in)
{
    if (!tabrl_is_finite(v_out)) return 0x7FF8000000000000ULL;
    double d = fabs(v_out - v_in);
    if (d != d) return 0x7FF8000000000000ULL;  // v_in was NaN: canonical positive NaN
    return (unsigned long long)__double_as_longlong(d);
}

#endif
