using System.Runtime.CompilerServices;
using TabularRL.Kernels.Parallelism;
using TabularRL.Kernels.Rows;
using TabularRL.Kernels.Sweeps;

namespace TabularRL.Kernels.Backends;

/// <summary>The SIMD, multithreaded CPU backend.</summary>
/// <remarks>
/// Row expectations use AVX2 gathers with two accumulation chains (<see cref="RowDot"/>); the regularised backups
/// run their exponentials and logarithms eight lanes at a time (<see cref="GroupLogSumExp"/>); states are split
/// across a persistent <see cref="WorkerTeam"/> by stored entries, not rows. A sweep allocates nothing, and its
/// results are bitwise identical for any thread count, since the split only decides which thread computes a state.
/// Calls on one instance are serialised; use one instance per concurrent caller for parallel solves.
/// </remarks>
public sealed class CpuBackend : IBellmanBackend, IBatchedBellmanBackend
{
    private readonly HardSweep _hard;
    private readonly RegularisedSweep _regularised;
    private readonly PolicySweep _policy;
    private readonly SelectedRowSweep _selected;
    private readonly MatrixProductSweep _product;
    private readonly BatchedHardSolve _batched;

    /// <summary>Creates the backend.</summary>
    /// <param name="maxThreads">Threads to use; 0 means one per processor.</param>
    public CpuBackend(int maxThreads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxThreads);
        Threads = maxThreads == 0 ? Environment.ProcessorCount : maxThreads;
        var team = WorkerTeam.For(Threads);
        _hard = new HardSweep(team);
        _regularised = new RegularisedSweep(team);
        _policy = new PolicySweep(team);
        _selected = new SelectedRowSweep(team);
        _product = new MatrixProductSweep(team);
        _batched = new BatchedHardSolve(team);
    }

    /// <inheritdoc/>
    public string Name => "cpu";

    /// <inheritdoc/>
    public bool IsAvailable => true;

    /// <summary>The number of threads a sweep uses.</summary>
    public int Threads { get; }

    /// <inheritdoc/>
    public double HardBackup(in BellmanProblem problem, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS, Memory<int> argmaxS)
        => _hard.Run(problem, vS, qSA, vOutS, argmaxS);

    /// <inheritdoc/>
    public double SoftBackup(in BellmanProblem problem, double temperature, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
        => _regularised.Run(problem, temperature, ReadOnlyMemory<double>.Empty, vS, qSA, vOutS);

    /// <inheritdoc/>
    public double KlBackup(in BellmanProblem problem, double coefficient, ReadOnlyMemory<double> logReferenceSA, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
        => _regularised.Run(problem, coefficient, logReferenceSA, vS, qSA, vOutS);

    /// <inheritdoc/>
    public double PolicyBackup(in BellmanProblem problem, ReadOnlyMemory<double> policySA, ReadOnlyMemory<double> vS, Memory<double> vOutS)
        => _policy.Run(problem, policySA, vS, vOutS);

    /// <inheritdoc/>
    public double DeterministicPolicyBackup(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> vS, Memory<double> vOutS)
        => _selected.Backup(problem, actionsS, vS, vOutS);

    /// <inheritdoc/>
    public void PolicyMultiply(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> xS, Memory<double> yS)
        => _selected.Multiply(problem, actionsS, xS, yS);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe double GaussSeidelSweep(in BellmanProblem problem, Memory<double> vS, Memory<int> argmaxS)
    {
        // Gauss-Seidel is sequential by definition: state s reads the values of states < s from this sweep.
        int actionCount = problem.ActionCount;
        double discount = problem.Discount;
        var transitions = problem.Transitions;
        using var pins = new RowPins(transitions);
        fixed (double* rewards = problem.RewardsSA.Span)
        fixed (double* v = vS.Span)
        fixed (int* argmax = argmaxS.Span)
        {
            var rows = pins.Rows;
            double change = 0;
            for (int s = 0; s < problem.StateCount; s++)
            {
                long row = (long)s * actionCount;
                double best = rewards[row] + discount * rows.Expectation(row, v);
                int bestAction = 0;
                for (int a = 1; a < actionCount; a++)
                {
                    row++;
                    GreedyChoice.Offer(rewards[row] + discount * rows.Expectation(row, v), a, ref best, ref bestAction);
                }
                change = PartitionedSweep.Combine(change, PartitionedSweep.Change(best, v[s]));
                v[s] = best;
                if (argmax != null) argmax[s] = bestAction;
            }
            return change;
        }
    }

    /// <inheritdoc/>
    public void Multiply(SparseRows matrix, ReadOnlyMemory<double> x, Memory<double> y) => _product.Run(matrix, x, y);

    /// <inheritdoc/>
    /// <remarks>
    /// Each MDP is solved to its stopping sweep by one thread, the MDPs dealt out to the team in small blocks
    /// (<see cref="BatchedHardSolve"/>): bitwise the result of a solo solve of that MDP on this backend, for any thread count.
    /// </remarks>
    public bool ValueIteration(in BatchedBellmanProblem batch, double tolerance, int maxSweeps,
        Memory<double> valuesBS, Memory<int> actionsBS, Memory<double> errorBoundsB, Memory<int> sweepsB)
    {
        BatchedSolveArguments.Check(batch, tolerance, maxSweeps, valuesBS, actionsBS, errorBoundsB, sweepsB);
        return _batched.Run(batch, tolerance, maxSweeps, valuesBS, actionsBS, errorBoundsB, sweepsB);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // The worker team is shared by all CPU backends of this size and lives as long as the process.
    }
}
