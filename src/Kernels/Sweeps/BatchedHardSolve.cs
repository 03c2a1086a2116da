using System.Runtime.CompilerServices;
using TabularRL.Kernels.Parallelism;
using TabularRL.Kernels.Rows;

namespace TabularRL.Kernels.Sweeps;

/// <summary>Batched value iteration on the CPU: each MDP is solved to its own stopping sweep by one thread, the MDPs dealt out in blocks.</summary>
/// <remarks>
/// <para>
/// Why MDP by MDP rather than sweep by sweep: a small MDP (S = 50, A = 4, K = 5: 12 KB of entries) stays in L1/L2 for
/// all its sweeps when it is solved alone, whereas a sweep over the whole batch (10^4 such MDPs: 120 MB) streams every
/// entry from memory once per sweep, a few hundred times per solve. Measured on the 2-core development VM
/// (benchmarks/README.md, "Batched value iteration"): 10^4 garnets S = 50, A = 4, K = 5 at gamma = 0.95 to 1e-8 took
/// 2.68 s on one thread and 1.47 s on two this way, while one hard sweep over a model of the same size (S = 5e5, K = 5,
/// W = 25) took 7.1-7.2 ms on one or two threads (memory-bound), i.e. about 3.0 s for the 416 sweeps sweep by sweep.
/// Solving one MDP at a time also needs no barrier per sweep, and a converged MDP costs nothing afterwards, which is
/// what the batched contract asks (<see cref="IBatchedBellmanBackend"/>). A GPU sweeps the whole batch per launch
/// instead; the results are the same because each MDP's iterates do not depend on the others.
/// </para>
/// <para>
/// Parallelism: the team's threads take blocks of <see cref="BlockSize"/> MDPs from a shared counter until none are
/// left, so MDPs that need many sweeps do not leave the other threads idle. Which thread solves an MDP never changes
/// how: each uses the row kernels of <see cref="HardSweep"/> (the same sums in the same order as a solo
/// <see cref="IBellmanBackend.HardBackup"/> on the CPU backend), so results are bitwise identical for any thread count,
/// and to a solo solve of the same MDP from the same start. Each thread ping-pongs between the MDP's slice of the
/// caller's values and a scratch vector of its own (allocated when a larger S first arrives, reused after), so a sweep
/// allocates nothing.
/// </para>
/// </remarks>
internal sealed unsafe class BatchedHardSolve(WorkerTeam team) : IPartitionedJob
{
    /// <summary>MDPs taken at once from the shared counter: large enough to keep the counter cold, small enough to balance.</summary>
    private const int BlockSize = 4;

    private readonly Lock _gate = new();
    private readonly double[][] _scratchS = new double[team.Size][];
    private BatchedBellmanProblem _batch;
    private double _tolerance;
    private int _maxSweeps;
    private Memory<double> _valuesBS, _errorBoundsB;
    private Memory<int> _actionsBS, _sweepsB;
    private int _nextBlock;

    /// <summary>Runs the solve; see <see cref="IBatchedBellmanBackend.ValueIteration"/> (arguments already checked).</summary>
    public bool Run(in BatchedBellmanProblem batch, double tolerance, int maxSweeps,
        Memory<double> valuesBS, Memory<int> actionsBS, Memory<double> errorBoundsB, Memory<int> sweepsB)
    {
        lock (_gate)
        {
            (_batch, _tolerance, _maxSweeps, _valuesBS, _actionsBS, _errorBoundsB, _sweepsB) =
                (batch, tolerance, maxSweeps, valuesBS, actionsBS, errorBoundsB, sweepsB);
            _nextBlock = 0;
            try
            {
                if (batch.BatchCount <= BlockSize) Execute(0);
                else team.Run(this);
            }
            finally
            {
                (_batch, _valuesBS, _actionsBS, _errorBoundsB, _sweepsB) = (default, default, default, default, default);
            }
            bool all = true;
            foreach (double bound in errorBoundsB.Span)
                all &= bound <= tolerance;
            return all;
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Execute(int part)
    {
        int stateCount = _batch.StateCount, batchCount = _batch.BatchCount;
        if (_scratchS[part] is not { } scratch || scratch.Length < stateCount)
            _scratchS[part] = scratch = new double[stateCount];
        var transitions = _batch.Transitions;
        // Prefetch off: after its first sweep an MDP's rows sit in the cache (see the class remarks).
        bool uniform = transitions.UniformRowLength != 0 && !transitions.IsSingle;
        using var pins = new RowPins(transitions);
        var rows = pins.Rows.WithoutPrefetch();
        fixed (double* probabilities = transitions.DoubleValues.Span)
        fixed (int* columns = transitions.Columns.Span)
        fixed (double* rewards = _batch.RewardsBSA.Span)
        fixed (double* discounts = _batch.DiscountsB.Span)
        fixed (double* values = _valuesBS.Span)
        fixed (int* actions = _actionsBS.Span)
        fixed (double* bounds = _errorBoundsB.Span)
        fixed (int* sweeps = _sweepsB.Span)
        fixed (double* other = scratch)
        {
            long firstEntry = transitions.RowPointers.Span[0];
            while (true)
            {
                int first = Interlocked.Add(ref _nextBlock, BlockSize) - BlockSize;
                if (first >= batchCount) return;
                for (int b = first; b < Math.Min(batchCount, first + BlockSize); b++)
                {
                    var mdp = new MdpPointers(b, _batch.StateCount, _batch.ActionCount, transitions.UniformRowLength, firstEntry,
                        probabilities, columns, rewards, values, actions);
                    (bounds[b], sweeps[b]) = uniform
                        ? SolveUniformRows(mdp, discounts[b], other, _tolerance, _maxSweeps)
                        : Solve(mdp, rows, discounts[b], other, _tolerance, _maxSweeps);
                }
            }
        }
    }

    /// <summary>Where MDP b's data starts; rows and values are its own, columns index its V.</summary>
    private readonly struct MdpPointers(int b, int stateCount, int actionCount, long uniformLength, long firstEntry,
        double* probabilities, int* columns, double* rewards, double* values, int* actions)
    {
        public readonly int StateCount = stateCount, ActionCount = actionCount;
        public readonly long FirstRow = (long)b * stateCount * actionCount;
        public readonly long RowLength = uniformLength;
        public readonly double* Probabilities = probabilities + firstEntry + (long)b * stateCount * actionCount * uniformLength;
        public readonly int* Columns = columns + firstEntry + (long)b * stateCount * actionCount * uniformLength;
        public readonly double* Rewards = rewards + (long)b * stateCount * actionCount;
        public readonly double* Values = values + (long)b * stateCount;
        public readonly int* Actions = actions + (long)b * stateCount;
    }

    /// <summary>Value iteration on one MDP whose rows all hold K float64 entries, with <see cref="HardSweep.SweepUniformRows(double*, int*, double*, double*, double*, int*, long, int, double, int, int, bool)"/>.</summary>
    /// <returns>The final bound (NaN after a non-finite value) and the sweeps taken; V_k is left in the MDP's values.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Bound, int Sweeps) SolveUniformRows(in MdpPointers mdp, double discount, double* scratch, double tolerance, int maxSweeps)
    {
        // The same factor and loop as the Engine's solo ValueIteration (Lookahead.ContractionFactor), THEORY.md section 1.
        double factor = discount / (1 - discount);
        double* v = mdp.Values, next = scratch;
        double bound = double.PositiveInfinity;
        int k = 0;
        while (k < maxSweeps && !(bound <= tolerance))
        {
            double change = HardSweep.SweepUniformRows(mdp.Probabilities, mdp.Columns, mdp.Rewards, v, next, mdp.Actions,
                mdp.RowLength, mdp.ActionCount, discount, 0, mdp.StateCount, prefetch: false);
            k++;
            double* swap = v;
            v = next;
            next = swap;
            bound = factor * change;
            // A non-finite value freezes the MDP with a NaN bound (factor * NaN), its values those of this sweep.
            if (double.IsNaN(bound)) break;
        }
        if (v != mdp.Values) Buffer.MemoryCopy(v, mdp.Values, mdp.StateCount * sizeof(double), mdp.StateCount * sizeof(double));
        return (bound, k);
    }

    /// <summary>Value iteration on one MDP with rows of any lengths (or float32 entries), through <see cref="PinnedRows.Expectation"/>.</summary>
    /// <returns>The final bound (NaN after a non-finite value) and the sweeps taken; V_k is left in the MDP's values.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Bound, int Sweeps) Solve(in MdpPointers mdp, PinnedRows rows, double discount, double* scratch, double tolerance, int maxSweeps)
    {
        double factor = discount / (1 - discount);
        double* v = mdp.Values, next = scratch;
        int actionCount = mdp.ActionCount;
        double bound = double.PositiveInfinity;
        int k = 0;
        while (k < maxSweeps && !(bound <= tolerance))
        {
            double change = 0;
            long row = mdp.FirstRow;
            double* rewards = mdp.Rewards;
            for (int s = 0; s < mdp.StateCount; s++)
            {
                // As HardSweep's general loop: rows are global, their columns index this MDP's V.
                double best = *rewards++ + discount * rows.Expectation(row++, v);
                int bestAction = 0;
                for (int a = 1; a < actionCount; a++)
                    GreedyChoice.Offer(*rewards++ + discount * rows.Expectation(row++, v), a, ref best, ref bestAction);
                next[s] = best;
                mdp.Actions[s] = bestAction;
                change = PartitionedSweep.Combine(change, PartitionedSweep.Change(best, v[s]));
            }
            k++;
            double* swap = v;
            v = next;
            next = swap;
            bound = factor * change;
            // A non-finite value freezes the MDP with a NaN bound (factor * NaN), its values those of this sweep.
            if (double.IsNaN(bound)) break;
        }
        if (v != mdp.Values) Buffer.MemoryCopy(v, mdp.Values, mdp.StateCount * sizeof(double), mdp.StateCount * sizeof(double));
        return (bound, k);
    }
}
