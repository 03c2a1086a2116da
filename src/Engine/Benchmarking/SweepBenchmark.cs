using System.Diagnostics;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;

namespace TabularRL.Engine.Benchmarking;

/// <summary>Times Bellman sweeps of a backend on one problem and relates them to the bytes a sweep must move.</summary>
/// <remarks>
/// Every method starts from V = 0 and keeps iterating (ping-pong between two value buffers; Gauss-Seidel in place),
/// so that the timed sweeps see realistic values rather than one fixed input. Each timed sweep is measured on its own
/// and the report gives the median, which a stray interruption does not move, and the minimum.
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
        var workspace = new Workspace(problem, options.Methods.Contains(SweepMethod.Kl));
        bool haveGreedyActions = false;
        var timings = new List<SweepTiming>(options.Methods.Count);
        foreach (var method in options.Methods)
        {
            long bytes;
            if (method == SweepMethod.Policy)
            {
                // The policy is the greedy one of a settled hard sweep; the hard method's last one when it ran.
                if (!haveGreedyActions) KeepGreedyActions(problem, backend, workspace, options.WarmupSweeps + 1);
                bytes = CompulsoryBytes(problem, workspace.ActionsS);
            }
            else
            {
                bytes = CompulsoryBytes(problem);
            }
            Iterate(method, problem, backend, workspace, options.WarmupSweeps, null);
            var milliseconds = new double[options.Sweeps];
            Iterate(method, problem, backend, workspace, options.Sweeps, milliseconds, reset: false);
            if (method == SweepMethod.Hard)
            {
                workspace.ArgmaxS.CopyTo(workspace.ActionsS, 0);
                haveGreedyActions = true;
            }
            Array.Sort(milliseconds);
            timings.Add(new SweepTiming(method, options.Sweeps, Median(milliseconds), milliseconds[0], bytes));
        }
        return timings;
    }

    /// <summary>The compulsory bytes of one full sweep: 12 nnz + 16 S A + 20 S.</summary>
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
        return 12 * problem.Transitions.NonZeroCount + 16 * s * a + 20 * s;
    }

    /// <summary>The compulsory bytes of one deterministic-policy sweep: 12 nnz_pi + 16 S + 20 S.</summary>
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
        return 12 * selected + 36L * stateCount;
    }

    // Runs `count` sweeps of one method, from V = 0 when `reset`; when `milliseconds` is given, times each sweep into it.
    private static void Iterate(SweepMethod method, in BellmanProblem problem, IBellmanBackend backend, Workspace w, int count,
        double[]? milliseconds, bool reset = true)
    {
        if (reset) Array.Clear(w.VS);
        for (int k = 0; k < count; k++)
        {
            long started = Stopwatch.GetTimestamp();
            double change = method switch
            {
                SweepMethod.Hard => backend.HardBackup(problem, w.VS, Memory<double>.Empty, w.VOutS, w.ArgmaxS),
                SweepMethod.Soft => backend.SoftBackup(problem, 1.0, w.VS, Memory<double>.Empty, w.VOutS),
                SweepMethod.Kl => backend.KlBackup(problem, 1.0, w.LogUniformSA, w.VS, Memory<double>.Empty, w.VOutS),
                SweepMethod.Policy => backend.DeterministicPolicyBackup(problem, w.ActionsS, w.VS, w.VOutS),
                SweepMethod.GaussSeidel => backend.GaussSeidelSweep(problem, w.VS, w.ArgmaxS),
                _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown sweep method"),
            };
            long elapsed = Stopwatch.GetTimestamp() - started;
            // A sweep shorter than the timer's resolution still took time; one tick keeps the bandwidth finite.
            if (milliseconds is not null) milliseconds[k] = Math.Max(elapsed, 1) * 1e3 / Stopwatch.Frequency;
            if (method != SweepMethod.GaussSeidel) w.Swap();
            NumericalException.ThrowIfNonFinite(change, w.VS, $"bench {method.Name()}", k + 1);
        }
    }

    private static void KeepGreedyActions(in BellmanProblem problem, IBellmanBackend backend, Workspace w, int sweeps)
    {
        Iterate(SweepMethod.Hard, problem, backend, w, sweeps, null);
        w.ArgmaxS.CopyTo(w.ActionsS, 0);
    }

    private static double Median(double[] sorted)
    {
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /// <summary>Buffers shared by the methods, allocated once so that no timed sweep pays for an allocation.</summary>
    private sealed class Workspace
    {
        public Workspace(in BellmanProblem problem, bool needsReference)
        {
            int s = problem.StateCount;
            VS = new double[s];
            VOutS = new double[s];
            ArgmaxS = new int[s];
            ActionsS = new int[s];
            // The uniform reference policy: log(1/A) for every action of every state.
            LogUniformSA = needsReference ? Enumerable.Repeat(-Math.Log(problem.ActionCount), s * problem.ActionCount).ToArray() : [];
        }

        /// <summary>[S] the current values, the input of the next sweep.</summary>
        public double[] VS { get; private set; }

        /// <summary>[S] the output of the next Jacobi sweep.</summary>
        public double[] VOutS { get; private set; }

        /// <summary>[S] greedy actions written by the hard and Gauss-Seidel sweeps.</summary>
        public int[] ArgmaxS { get; }

        /// <summary>[S] the policy evaluated by the policy sweep.</summary>
        public int[] ActionsS { get; }

        /// <summary>[S*A] log of the uniform reference policy, empty when no KL sweep runs.</summary>
        public double[] LogUniformSA { get; }

        /// <summary>Makes the output of the last sweep the input of the next.</summary>
        public void Swap() => (VS, VOutS) = (VOutS, VS);
    }
}
