// Batched value iteration (IBatchedBellmanBackend) for CudaBackend: B MDPs of one shape, rows (b*S + s)*A + a with
// columns local to each MDP. Per sweep the host launches batched_hard_sweep (one thread per (b, s), all active MDPs in
// one launch) and batched_update (one thread per MDP); it copies the active flags back every few sweeps only.
// NOT VERIFIED ON A GPU: no kernel here has been compiled or run.
#include "rows.cuh"

// One Jacobi sweep of every active MDP: vOut = T vIn, greedy actions with ties to the lowest action, and the MDP's
// change max_s |vOut - vIn| folded into change[b] by atomicMax on the bit patterns (exact, order-independent; see
// change_bits). A frozen MDP's values are copied across, so both ping-pong buffers hold them and its actions stay
// those of its last sweep.
extern "C" __global__ void batched_hard_sweep(int B, int S, int A, const long long* __restrict__ row_pointers,
                                              const int* __restrict__ columns, const double* __restrict__ values,
                                              const double* __restrict__ rewards, const double* __restrict__ discounts,
                                              const int* __restrict__ active, const double* __restrict__ v_in,
                                              double* __restrict__ v_out, int* __restrict__ argmax,
                                              unsigned long long* __restrict__ change)
{
    const long long total = (long long)B * S;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < total; i += (long long)blockDim.x * gridDim.x)
    {
        const int b = (int)(i / S);
        if (!active[b]) { v_out[i] = v_in[i]; continue; }
        const double gamma = discounts[b];
        const double* x = v_in + (long long)b * S;
        const long long base = i * A;
        double best_q = 0.0;
        int best = 0;
        for (int a = 0; a < A; ++a)
        {
            const long long row = base + a;
            const double qa = rewards[row] + gamma * row_expectation(row_pointers, columns, values, row, x);
            if (a == 0 || qa > best_q) { best_q = qa; best = a; }
        }
        v_out[i] = best_q;
        argmax[i] = best;
        atomicMax(&change[b], change_bits(best_q, v_in[i]));
    }
}

// After each sweep, per active MDP: count the sweep, certify bound = gamma/(1 - gamma) * change (as the Engine's value
// iteration, Lookahead.ContractionFactor), and freeze the MDP once the bound meets the tolerance, is NaN (a non-finite
// value) or the sweep budget is spent. Resets change[b] for the next sweep.
extern "C" __global__ void batched_update(int B, double tolerance, int max_sweeps, const double* __restrict__ discounts,
                                          int* __restrict__ active, unsigned long long* __restrict__ change,
                                          double* __restrict__ bounds, int* __restrict__ sweeps)
{
    for (int b = blockIdx.x * blockDim.x + threadIdx.x; b < B; b += blockDim.x * gridDim.x)
    {
        if (!active[b]) continue;
        const int taken = sweeps[b] + 1;
        sweeps[b] = taken;
        const double gamma = discounts[b];
        const double c = __longlong_as_double((long long)change[b]);
        const double bound = (gamma / (1.0 - gamma)) * c;
        bounds[b] = c != c ? c : bound;
        if (c != c || bound <= tolerance || taken >= max_sweeps) active[b] = 0;
        change[b] = 0ULL;
    }
}
