using System.Diagnostics;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;

namespace TabularRL.Engine.Benchmarking;

/// <summary>Times Bellman sweeps of a backend on one problem and relates them to the bytes a sweep must move.</summary>
/// <remarks>
/// Every method starts from V = 0 and keeps iterating (ping-pong between two value buffers; Gauss-Seidel in place),
/// so that the timed sweeps see realistic values rather than one fixed input. The methods take turns, one sweep each
/// per round; each timed sweep is measured on its own and the report gives the median, which a stray interruption
/// does not move, and the minimum.
/// </remarks>
public static class SweepBenchmark
{
    /// <summary>Times each method of <paramref name="options"/> on <paramref name="problem"/>.</summary>
    /// <param name="problem">The problem, one stage of a finite-horizon model or the stationary one.</param>
    /// <param name="backend">The backend whose kernels are timed.</param>
    /// <param name="options">Sweeps and methods; null for the defaults.</param>
    /// <returns>One timing per method, in the order of <see cref="SweepBenchmarkOptions.Methods"/>.</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="NumericalException">A sweep produced a value that is not finite.</exception>
    public static IReadOnlyList<SweepTiming> Run(in BellmanProblem problem, IBellmanBackend backend, SweepBenchmarkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        options ??= new SweepBenchmarkOptions();
        options.Validate();
        var methods = options.Methods;
        var inputs = new SharedInputs(problem, methods.Contains(SweepMethod.Kl));
        if (methods.Contains(SweepMethod.Policy))
        {
            // The policy is the greedy one of a settled hard sweep.
            var settle = new Chain(problem.StateCount);
            for (int k = 0; k <= options.WarmupSweeps; k++) Sweep(SweepMethod.Hard, problem, backend, inputs, settle, k);
            settle.ArgmaxS.CopyTo(inputs.ActionsS, 0);
        }
        int stateCount = problem.StateCount;
        var chains = methods.Select(_ => new Chain(stateCount)).ToArray();
        for (int i = 0; i < methods.Count; i++)
            for (int k = 0; k < options.WarmupSweeps; k++) Sweep(methods[i], problem, backend, inputs, chains[i], k);

        // Round-robin: one sweep of each method per round, so that a slow spell of a shared or virtual machine falls
        // on all methods alike and their ratios stay meaningful.
        var milliseconds = methods.Select(_ => new double[options.Sweeps]).ToArray();
        for (int round = 0; round < options.Sweeps; round++)
        {
            for (int i = 0; i < methods.Count; i++)
            {
                long started = Stopwatch.GetTimestamp();
                Sweep(methods[i], problem, backend, inputs, chains[i], options.WarmupSweeps + round);
                long elapsed = Stopwatch.GetTimestamp() - started;
                // A sweep shorter than the timer's resolution still took time; one tick keeps the bandwidth finite.
                milliseconds[i][round] = Math.Max(elapsed, 1) * 1e3 / Stopwatch.Frequency;
            }
        }

        var timings = new List<SweepTiming>(methods.Count);
        for (int i = 0; i < methods.Count; i++)
        {
            long bytes = methods[i] == SweepMethod.Policy ? CompulsoryBytes(problem, inputs.ActionsS) : CompulsoryBytes(problem);
            Array.Sort(milliseconds[i]);
            timings.Add(new SweepTiming(methods[i], options.Sweeps, Median(milliseconds[i]), milliseconds[i][0], bytes));
        }
        return timings;
    }

    /// <summary>The compulsory bytes of one full sweep: 12 nnz + 16 S A + 20 S (8 nnz with float32 entries).</summary>
    /// <param name="problem">The problem.</param>
    /// <remarks>
    /// Each stored transition is read once (an 8-byte probability and a 4-byte column), each row once (an 8-byte
    /// reward and an 8-byte row pointer), and each state once (read V(s), write its new value, write a 4-byte
    /// argmax). Gathering V(s') is not counted: a vector read once would suffice if it stayed in cache. The figure is
    /// the same for the hard, soft, KL and Gauss-Seidel sweeps, so that they compare on one scale, although the soft
    /// and KL sweeps write no argmax (4 S fewer) and the KL sweep also reads its reference (8 S A more).
    /// </remarks>
    public static long CompulsoryBytes(in BellmanProblem problem)
    {
        long s = problem.StateCount, a = problem.ActionCount;
        return EntryBytes(problem) * problem.Transitions.NonZeroCount + 16 * s * a + 20 * s;
    }

    /// <summary>Bytes per stored transition: a 4-byte column and an 8-byte (float64) or 4-byte (float32) probability.</summary>
    public static int EntryBytes(in BellmanProblem problem) => problem.Transitions.IsSingle ? 8 : 12;

    /// <summary>The compulsory bytes of one deterministic-policy sweep: 12 nnz_pi + 16 S + 20 S (8 nnz_pi with float32 entries).</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="actionsS">[S] the policy's actions in [0, A).</param>
    /// <remarks>
    /// Only the selected row of each state is read, so nnz_pi counts the entries of rows s A + actionsS[s]; per state
    /// the sweep reads one reward and row pointer (16 bytes), reads V(s) and the action and writes the new value
    /// (20 bytes).
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="actionsS"/> has the wrong length or an action out of range.</exception>
    public static long CompulsoryBytes(in BellmanProblem problem, ReadOnlySpan<int> actionsS)
    {
        int stateCount = problem.StateCount, actionCount = problem.ActionCount;
        if (actionsS.Length != stateCount)
            throw new ArgumentException($"actions have {actionsS.Length} entries, expected S = {stateCount}", nameof(actionsS));
        var rowPointers = problem.Transitions.RowPointers.Span;
        long selected = 0;
        for (int s = 0; s < stateCount; s++)
        {
            int action = actionsS[s];
            if ((uint)action >= (uint)actionCount)
                throw new ArgumentException($"actions[{s}] = {action} is not in [0, {actionCount})", nameof(actionsS));
            int row = s * actionCount + action;
            selected += rowPointers[row + 1] - rowPointers[row];
        }
        return EntryBytes(problem) * selected + 36L * stateCount;
    }

    // One sweep of a method on its chain; Jacobi sweeps swap the chain's buffers, Gauss-Seidel updates in place.
    private static void Sweep(SweepMethod method, in BellmanProblem problem, IBellmanBackend backend, SharedInputs inputs, Chain chain, int index)
    {
        double change = method switch
        {
            SweepMethod.Hard => backend.HardBackup(problem, chain.VS, Memory<double>.Empty, chain.VOutS, chain.ArgmaxS),
            SweepMethod.Soft => backend.SoftBackup(problem, 1.0, chain.VS, Memory<double>.Empty, chain.VOutS),
            SweepMethod.Kl => backend.KlBackup(problem, 1.0, inputs.LogUniformSA, chain.VS, Memory<double>.Empty, chain.VOutS),
            SweepMethod.Policy => backend.DeterministicPolicyBackup(problem, inputs.ActionsS, chain.VS, chain.VOutS),
            SweepMethod.GaussSeidel => backend.GaussSeidelSweep(problem, chain.VS, chain.ArgmaxS),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown sweep method"),
        };
        if (method != SweepMethod.GaussSeidel) chain.Swap();
        NumericalException.ThrowIfNonFinite(change, chain.VS, $"bench {method.Name()}", index + 1);
    }

    private static double Median(double[] sorted)
    {
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /// <summary>Inputs every method reads, allocated once so that no timed sweep pays for an allocation.</summary>
    private sealed class SharedInputs(in BellmanProblem problem, bool needsReference)
    {
        /// <summary>[S] the policy evaluated by the policy sweep.</summary>
        public int[] ActionsS { get; } = new int[problem.StateCount];

        /// <summary>[S*A] log of the uniform reference policy, empty when no KL sweep runs.</summary>
        public double[] LogUniformSA { get; } = needsReference
            ? Enumerable.Repeat(-Math.Log(problem.ActionCount), problem.StateCount * problem.ActionCount).ToArray()
            : [];
    }

    /// <summary>One method's iterates: V = 0 at first, then each sweep's output.</summary>
    private sealed class Chain(int stateCount)
    {
        /// <summary>[S] the current values, the input of the next sweep.</summary>
        public double[] VS { get; private set; } = new double[stateCount];

        /// <summary>[S] the output of the next Jacobi sweep.</summary>
        public double[] VOutS { get; private set; } = new double[stateCount];

        /// <summary>[S] greedy actions written by the hard and Gauss-Seidel sweeps.</summary>
        public int[] ArgmaxS { get; } = new int[stateCount];

        /// <summary>Makes the output of the last sweep the input of the next.</summary>
        public void Swap() => (VS, VOutS) = (VOutS, VS);
    }
}
