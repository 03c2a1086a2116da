// Single-model Bellman kernels for CudaBackend: one thread per state (grid-stride), CSR rows s*A + a with int64 row
// pointers, int32 columns and float64 probabilities. Each backup writes Q (always: the host keeps a device scratch of
// S*A and copies it back only when the caller asked for Q), the new values, and per-state change bits that
// max_change_blocks/max_change_final reduce to the sup-norm change.
// NOT VERIFIED ON A GPU: written to mirror ReferenceBackend line by line; no kernel here has been compiled or run.
#include "rows.cuh"

// Hard backup: vOut(s) = max_a Q(s,a), argmax ties to the lowest action (a later action must be strictly greater,
// and a NaN never is, exactly as the reference's "if (q[a] > q[best]) best = a").
extern "C" __global__ void hard_backup(int S, int A, double gamma, const long long* __restrict__ row_pointers,
                                       const int* __restrict__ columns, const double* __restrict__ values,
                                       const double* __restrict__ rewards, const double* __restrict__ v,
                                       double* __restrict__ q, double* __restrict__ v_out, int* __restrict__ argmax,
                                       unsigned long long* __restrict__ change)
{
    for (int s = blockIdx.x * blockDim.x + threadIdx.x; s < S; s += blockDim.x * gridDim.x)
    {
        const long long base = (long long)s * A;
        double best_q = 0.0;
        int best = 0;
        for (int a = 0; a < A; ++a)
        {
            const long long row = base + a;
            const double qa = rewards[row] + gamma * row_expectation(row_pointers, columns, values, row, v);
            q[row] = qa;
            if (a == 0 || qa > best_q) { best_q = qa; best = a; }
        }
        v_out[s] = best_q;
        argmax[s] = best;
        change[s] = change_bits(best_q, v[s]);
    }
}

// Regularised backup over the actions whose log weight is above -inf:
// vOut(s) = m + t log sum_a exp(logw(s,a) + (Q(s,a) - m)/t), m the largest Q on that support (THEORY.md section 2).
// log_weights null: the soft backup, every weight 1 (log weight 0), as the reference's uniform zeros.
__device__ __forceinline__ void regularised_state(int s, int A, double gamma, double t, const long long* __restrict__ row_pointers,
                                                  const int* __restrict__ columns, const double* __restrict__ values,
                                                  const double* __restrict__ rewards, const double* __restrict__ log_weights,
                                                  const double* __restrict__ v, double* __restrict__ q,
                                                  double* __restrict__ v_out, unsigned long long* __restrict__ change)
{
    const long long base = (long long)s * A;
    double m = TABRL_NEG_INF;
    for (int a = 0; a < A; ++a)
    {
        const long long row = base + a;
        const double qa = rewards[row] + gamma * row_expectation(row_pointers, columns, values, row, v);
        q[row] = qa;
        if (log_weights == nullptr || log_weights[row] > TABRL_NEG_INF)
            m = (qa != qa || m != m) ? qa + m : fmax(m, qa);  // NaN-propagating, like Math.Max
    }
    double sum = 0.0;
    for (int a = 0; a < A; ++a)
    {
        const long long row = base + a;
        const double lw = log_weights == nullptr ? 0.0 : log_weights[row];
        if (lw > TABRL_NEG_INF) sum += exp(lw + (q[row] - m) / t);
    }
    const double value = m + t * log(sum);
    v_out[s] = value;
    change[s] = change_bits(value, v[s]);
}

extern "C" __global__ void soft_backup(int S, int A, double gamma, double temperature, const long long* __restrict__ row_pointers,
                                       const int* __restrict__ columns, const double* __restrict__ values,
                                       const double* __restrict__ rewards, const double* __restrict__ v,
                                       double* __restrict__ q, double* __restrict__ v_out, unsigned long long* __restrict__ change)
{
    for (int s = blockIdx.x * blockDim.x + threadIdx.x; s < S; s += blockDim.x * gridDim.x)
        regularised_state(s, A, gamma, temperature, row_pointers, columns, values, rewards, nullptr, v, q, v_out, change);
}

extern "C" __global__ void kl_backup(int S, int A, double gamma, double coefficient, const long long* __restrict__ row_pointers,
                                     const int* __restrict__ columns, const double* __restrict__ values,
                                     const double* __restrict__ rewards, const double* __restrict__ log_reference,
                                     const double* __restrict__ v, double* __restrict__ q, double* __restrict__ v_out,
                                     unsigned long long* __restrict__ change)
{
    for (int s = blockIdx.x * blockDim.x + threadIdx.x; s < S; s += blockDim.x * gridDim.x)
        regularised_state(s, A, gamma, coefficient, row_pointers, columns, values, rewards, log_reference, v, q, v_out, change);
}

// Stochastic policy: vOut(s) = sum_a pi(a|s) Q(s,a) over the actions with pi != 0, in action order.
extern "C" __global__ void policy_backup(int S, int A, double gamma, const long long* __restrict__ row_pointers,
                                         const int* __restrict__ columns, const double* __restrict__ values,
                                         const double* __restrict__ rewards, const double* __restrict__ policy,
                                         const double* __restrict__ v, double* __restrict__ v_out,
                                         unsigned long long* __restrict__ change)
{
    for (int s = blockIdx.x * blockDim.x + threadIdx.x; s < S; s += blockDim.x * gridDim.x)
    {
        const long long base = (long long)s * A;
        double value = 0.0;
        for (int a = 0; a < A; ++a)
        {
            const long long row = base + a;
            const double p = policy[row];
            if (p != 0.0)
                value += p * (rewards[row] + gamma * row_expectation(row_pointers, columns, values, row, v));
        }
        v_out[s] = value;
        change[s] = change_bits(value, v[s]);
    }
}

// Deterministic policy: vOut(s) = Q(s, actions[s]).
extern "C" __global__ void deterministic_backup(int S, int A, double gamma, const long long* __restrict__ row_pointers,
                                                const int* __restrict__ columns, const double* __restrict__ values,
                                                const double* __restrict__ rewards, const int* __restrict__ actions,
                                                const double* __restrict__ v, double* __restrict__ v_out,
                                                unsigned long long* __restrict__ change)
{
    for (int s = blockIdx.x * blockDim.x + threadIdx.x; s < S; s += blockDim.x * gridDim.x)
    {
        const long long row = (long long)s * A + actions[s];
        const double value = rewards[row] + gamma * row_expectation(row_pointers, columns, values, row, v);
        v_out[s] = value;
        change[s] = change_bits(value, v[s]);
    }
}

// yS(s) = sum_s' P(s'|s, actions[s]) xS(s').
extern "C" __global__ void policy_multiply(int S, int A, const long long* __restrict__ row_pointers, const int* __restrict__ columns,
                                           const double* __restrict__ values, const int* __restrict__ actions,
                                           const double* __restrict__ x, double* __restrict__ y)
{
    for (int s = blockIdx.x * blockDim.x + threadIdx.x; s < S; s += blockDim.x * gridDim.x)
        y[s] = row_expectation(row_pointers, columns, values, (long long)s * A + actions[s], x);
}

// y = M x over every row.
extern "C" __global__ void sparse_multiply(int rows, const long long* __restrict__ row_pointers, const int* __restrict__ columns,
                                           const double* __restrict__ values, const double* __restrict__ x, double* __restrict__ y)
{
    for (int row = blockIdx.x * blockDim.x + threadIdx.x; row < rows; row += blockDim.x * gridDim.x)
        y[row] = row_expectation(row_pointers, columns, values, row, x);
}

// Two-stage max over change bits (see change_bits): each block reduces a grid-stride share of the n entries to one
// partial, then one block reduces the partials. Integer max is associative and exact, so the result is the same for
// every grid and block size. Both kernels must be launched with blockDim.x == 256 (the shared array's size).
#define TABRL_REDUCE_THREADS 256

__device__ __forceinline__ unsigned long long block_max(unsigned long long mine)
{
    __shared__ unsigned long long shared[TABRL_REDUCE_THREADS];
    shared[threadIdx.x] = mine;
    __syncthreads();
    for (unsigned int stride = blockDim.x / 2; stride > 0; stride >>= 1)
    {
        if (threadIdx.x < stride && shared[threadIdx.x + stride] > shared[threadIdx.x])
            shared[threadIdx.x] = shared[threadIdx.x + stride];
        __syncthreads();
    }
    return shared[0];
}

extern "C" __global__ void max_change_blocks(long long n, const unsigned long long* __restrict__ change,
                                             unsigned long long* __restrict__ partial)
{
    unsigned long long mine = 0;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)blockDim.x * gridDim.x)
        if (change[i] > mine) mine = change[i];
    const unsigned long long block = block_max(mine);
    if (threadIdx.x == 0) partial[blockIdx.x] = block;
}

extern "C" __global__ void max_change_final(int blocks, const unsigned long long* __restrict__ partial,
                                            unsigned long long* __restrict__ result)
{
    unsigned long long mine = 0;
    for (int i = threadIdx.x; i < blocks; i += blockDim.x)
        if (partial[i] > mine) mine = partial[i];
    const unsigned long long all = block_max(mine);
    if (threadIdx.x == 0) result[0] = all;
}
