using System.Runtime.InteropServices;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;
using Xunit.Sdk;

namespace TabularRL.Tests.Backends;

/// <summary>
/// The contract checks can fail: each deliberately broken backend below models a plausible bug of a vectorised,
/// multithreaded kernel, and the check that is meant to catch it must reject it. Without these, a tolerance widened
/// by mistake or a comparison that never runs would let the real tests pass vacuously.
/// </summary>
public sealed class ContractSensitivityTests
{
    private static readonly KernelCase RowLengths = new(KernelShape.RowLengths, 67, 3, 0.9, 1.0, 1.0, Seed: 21);

    [Fact]
    public void EveryPrimitiveCheck_BackendDroppingTheLastEntryOfVectorTails_Fails()
    {
        // Rows longer than 8 whose length is not a multiple of 8 lose their last entry, as in a kernel whose scalar
        // tail loop stops one short.
        using var mutant = Set(new TailDropping());
        var model = RowLengths.Model;
        var problem = model.Problem;
        AssertRejects(() => OracleCheck.HardBackup(mutant, problem, model.VS, "tail dropped"));
        AssertRejects(() => OracleCheck.SoftBackup(mutant, problem, 1.0, model.VS, "tail dropped"));
        AssertRejects(() => OracleCheck.KlBackup(mutant, problem, 1.0, model.LogReferenceSA, model.VS, "tail dropped"));
        AssertRejects(() => OracleCheck.PolicyBackup(mutant, problem, model.PolicySA, model.VS, "tail dropped"));
        AssertRejects(() => OracleCheck.DeterministicPolicyBackup(mutant, problem, model.ActionsS, model.VS, "tail dropped"));
        AssertRejects(() => OracleCheck.GaussSeidelSweep(mutant, problem, model.VS, "tail dropped"));
        AssertRejects(() => OracleCheck.Multiply(mutant, problem.Transitions, model.VS, "tail dropped"));
    }

    [Fact]
    public void EveryPrimitiveCheck_ValuesOffByOnePartInATrillion_Fails()
    {
        // The bounds are rounding-sized (about 1e-14 relative for 64-entry rows), far below 1e-12. Not so the KL
        // backup at l = 1e8: its value m + l L has L = log sum_a w_a exp((Q_a - m)/l) of order 1e-8, so one ulp of the
        // sum moves V by about 1e-8 (Tolerances, log-sum-exp), and no backend can do better than that.
        using var mutant = Set(new Scaled(1 + 1e-12));
        var model = RowLengths.Model;
        var problem = model.Problem;
        foreach (double t in new[] { 1e-8, 1.0, 1e8 })
            AssertRejects(() => OracleCheck.SoftBackup(mutant, problem, t, model.VS, "scaled"));
        foreach (double t in new[] { 1e-8, 1.0 })
            AssertRejects(() => OracleCheck.KlBackup(mutant, problem, t, model.LogReferenceSA, model.VS, "scaled"));
        AssertRejects(() => OracleCheck.HardBackup(mutant, problem, model.VS, "scaled"));
        AssertRejects(() => OracleCheck.PolicyBackup(mutant, problem, model.PolicySA, model.VS, "scaled"));
        AssertRejects(() => OracleCheck.DeterministicPolicyBackup(mutant, problem, model.ActionsS, model.VS, "scaled"));
        AssertRejects(() => OracleCheck.GaussSeidelSweep(mutant, problem, model.VS, "scaled"));
        AssertRejects(() => OracleCheck.Multiply(mutant, problem.Transitions, model.VS, "scaled"));
    }

    [Fact]
    public void HardBackupCheck_BackendReadingRowPointersAsRelative_Fails()
    {
        // Row pointers are absolute offsets into larger arrays; reading them relative to the first one picks up the
        // poisoned entries of the preceding stage.
        using var mutant = Set(new RelativeRowPointers());
        var model = RowLengths.Model;
        AssertRejects(() => OracleCheck.HardBackup(mutant, model.Problem, model.VS, "relative row pointers"));
        AssertRejects(() => OracleCheck.Multiply(mutant, model.Transitions, model.VS, "relative row pointers"));
    }

    [Fact]
    public void HardBackupCheck_BackendWritingPastItsOutputSlice_Fails()
    {
        using var mutant = Set(new OutOfSliceWriter());
        var model = RowLengths.Model;
        AssertRejects(() => OracleCheck.HardBackup(mutant, model.Problem, model.VS, "writes past the slice"));
    }

    [Fact]
    public void HardBackupCheck_BackendSwallowingNaN_Fails()
    {
        // A SIMD max (maxpd) returns its second operand when the first is NaN: the NaN of an overflowing state is lost.
        using var mutant = Set(new NaNSwallowing());
        var model = KernelModel.Create(3, 2, 0.99, 1.0, seed: 8, (row, _) => [(row / 2 + 1) % 3])
            .With(rewardsSA: Enumerable.Repeat(1e308, 6).ToArray(), vS: [1e308, 1e308, 1e308]);
        AssertRejects(() => OracleCheck.HardBackup(mutant, model.Problem, model.VS, "NaN swallowed"));
        AssertRejects(() => OracleCheck.GaussSeidelSweep(mutant, model.Problem, model.VS, "NaN swallowed"));
    }

    [Fact]
    public void HardBackupCheck_BackendBreakingTiesTowardsTheLastAction_Fails()
    {
        // Identical one-entry rows and rewards: every action ties exactly, and the argmax must be action 0.
        using var mutant = Set(new LastMaximiser());
        var model = KernelModel.Create(50, 4, 0.9, 1.0, seed: 22, (row, _) => [row / 4 * 7 % 50])
            .With(rewardsSA: Enumerable.Repeat(1.0, 200).ToArray());
        AssertRejects(() => OracleCheck.HardBackup(mutant, model.Problem, model.VS, "last maximiser"));
    }

    [Fact]
    public void KlBackupCheck_BackendSubtractingTheMaximumOverAllActions_Fails()
    {
        // Only the worst action is supported; subtracting the maximum over all actions instead of over the support
        // underflows every exp at l = 1e-8 and gives -infinity.
        using var mutant = Set(new KlMaximumOverAllActions());
        var model = RowLengths.Model;
        int S = model.StateCount, A = model.ActionCount;
        var q = new double[S * A];
        new ReferenceBackend().HardBackup(model.Problem, model.VS, q, new double[S], Memory<int>.Empty);
        var logReference = new double[S * A];
        for (int s = 0; s < S; s++)
        {
            int worst = 0;
            for (int a = 1; a < A; a++)
                if (q[s * A + a] < q[s * A + worst]) worst = a;
            for (int a = 0; a < A; a++)
                logReference[s * A + a] = a == worst ? 0 : double.NegativeInfinity;
        }
        AssertRejects(() => OracleCheck.KlBackup(mutant, model.Problem, 1e-8, Padded.Around(logReference), model.VS, "max over all actions"));
    }

    [Fact]
    public void ThreadCountCheck_SummationOrderDependingOnThreads_Fails()
    {
        // One thread sums each row left to right (the reference), more threads with two accumulators (the CPU kernel):
        // the same values up to rounding, but not the same bits.
        var model = new KernelCase(KernelShape.RowLengths, 5000, 2, 0.95, 1.0, 1.0, Seed: 23).Model;
        AssertRejects(() => Determinism.AssertBitwiseAcrossThreadCounts(
            threads => threads == 1 ? new ReferenceBackend() : new CpuBackend(threads), model, 1.0, "order depends on threads"), "differ from the 1-thread run");
    }

    [Fact]
    public void AllocationWindows_OneObjectPerCall_ReachTheBudget()
    {
        // Other threads can only add to a process-wide count, so this holds with tests running in parallel.
        var windows = Allocation.Windows(() => _sink = new object(), 20, 3);
        Assert.True(windows.Min() >= 20 * 24, $"one object per call measured as {string.Join(", ", windows)} bytes for 20 calls");
    }

    private static object? _sink;

    private static BackendSet Set(IBellmanBackend mutant) => new(new NamedBackend("mutant", mutant));

    private static void AssertRejects(Action check, string named = "mutant")
    {
        var e = Assert.ThrowsAny<XunitException>(check);
        Assert.True(e.Message.Contains(named, StringComparison.Ordinal), $"the failure does not say '{named}': {e.Message}");
    }

    /// <summary>Delegates every primitive to the reference backend; mutants override one.</summary>
    private abstract class Delegating : IBellmanBackend
    {
        protected readonly ReferenceBackend Inner = new();

        public string Name => "mutant";

        public bool IsAvailable => true;

        public virtual double HardBackup(in BellmanProblem problem, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS, Memory<int> argmaxS)
            => Inner.HardBackup(problem, vS, qSA, vOutS, argmaxS);

        public virtual double SoftBackup(in BellmanProblem problem, double temperature, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
            => Inner.SoftBackup(problem, temperature, vS, qSA, vOutS);

        public virtual double KlBackup(in BellmanProblem problem, double coefficient, ReadOnlyMemory<double> logReferenceSA, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
            => Inner.KlBackup(problem, coefficient, logReferenceSA, vS, qSA, vOutS);

        public virtual double PolicyBackup(in BellmanProblem problem, ReadOnlyMemory<double> policySA, ReadOnlyMemory<double> vS, Memory<double> vOutS)
            => Inner.PolicyBackup(problem, policySA, vS, vOutS);

        public virtual double DeterministicPolicyBackup(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> vS, Memory<double> vOutS)
            => Inner.DeterministicPolicyBackup(problem, actionsS, vS, vOutS);

        public virtual void PolicyMultiply(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> xS, Memory<double> yS)
            => Inner.PolicyMultiply(problem, actionsS, xS, yS);

        public virtual double GaussSeidelSweep(in BellmanProblem problem, Memory<double> vS, Memory<int> argmaxS)
            => Inner.GaussSeidelSweep(problem, vS, argmaxS);

        public virtual void Multiply(SparseRows matrix, ReadOnlyMemory<double> x, Memory<double> y)
            => Inner.Multiply(matrix, x, y);

        public void Dispose()
        {
        }
    }

    /// <summary>Runs every primitive on rows with the last entry of each ragged long row removed.</summary>
    private sealed class TailDropping : Delegating
    {
        private static SparseRows Drop(SparseRows rows)
        {
            var pointers = rows.RowPointers.Span;
            var columns = rows.Columns.Span;
            var values = rows.Values.Span;
            var indptr = new long[rows.RowCount + 1];
            var keptColumns = new List<int>();
            var keptValues = new List<double>();
            for (int row = 0; row < rows.RowCount; row++)
            {
                int start = (int)pointers[row], length = (int)(pointers[row + 1] - start);
                int keep = length > 8 && length % 8 != 0 ? length - 1 : length;
                for (int k = start; k < start + keep; k++)
                {
                    keptColumns.Add(columns[k]);
                    keptValues.Add(values[k]);
                }
                indptr[row + 1] = keptColumns.Count;
            }
            return new SparseRows(indptr, keptColumns.ToArray(), keptValues.ToArray());
        }

        private static BellmanProblem Drop(in BellmanProblem p) => new(Drop(p.Transitions), p.RewardsSA, p.StateCount, p.ActionCount, p.Discount);

        public override double HardBackup(in BellmanProblem problem, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS, Memory<int> argmaxS)
            => Inner.HardBackup(Drop(problem), vS, qSA, vOutS, argmaxS);

        public override double SoftBackup(in BellmanProblem problem, double temperature, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
            => Inner.SoftBackup(Drop(problem), temperature, vS, qSA, vOutS);

        public override double KlBackup(in BellmanProblem problem, double coefficient, ReadOnlyMemory<double> logReferenceSA, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
            => Inner.KlBackup(Drop(problem), coefficient, logReferenceSA, vS, qSA, vOutS);

        public override double PolicyBackup(in BellmanProblem problem, ReadOnlyMemory<double> policySA, ReadOnlyMemory<double> vS, Memory<double> vOutS)
            => Inner.PolicyBackup(Drop(problem), policySA, vS, vOutS);

        public override double DeterministicPolicyBackup(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> vS, Memory<double> vOutS)
            => Inner.DeterministicPolicyBackup(Drop(problem), actionsS, vS, vOutS);

        public override double GaussSeidelSweep(in BellmanProblem problem, Memory<double> vS, Memory<int> argmaxS)
            => Inner.GaussSeidelSweep(Drop(problem), vS, argmaxS);

        public override void Multiply(SparseRows matrix, ReadOnlyMemory<double> x, Memory<double> y)
            => Inner.Multiply(Drop(matrix), x, y);
    }

    /// <summary>Multiplies every value it outputs by a factor.</summary>
    private sealed class Scaled(double factor) : Delegating
    {
        private double Scale(double change, Span<double> values)
        {
            foreach (ref double v in values) v *= factor;
            return change;
        }

        public override double HardBackup(in BellmanProblem problem, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS, Memory<int> argmaxS)
        {
            double change = Inner.HardBackup(problem, vS, qSA, vOutS, argmaxS);
            Scale(change, qSA.Span);
            return Scale(change, vOutS.Span);
        }

        public override double SoftBackup(in BellmanProblem problem, double temperature, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
            => Scale(Inner.SoftBackup(problem, temperature, vS, qSA, vOutS), vOutS.Span);

        public override double KlBackup(in BellmanProblem problem, double coefficient, ReadOnlyMemory<double> logReferenceSA, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
            => Scale(Inner.KlBackup(problem, coefficient, logReferenceSA, vS, qSA, vOutS), vOutS.Span);

        public override double PolicyBackup(in BellmanProblem problem, ReadOnlyMemory<double> policySA, ReadOnlyMemory<double> vS, Memory<double> vOutS)
            => Scale(Inner.PolicyBackup(problem, policySA, vS, vOutS), vOutS.Span);

        public override double DeterministicPolicyBackup(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> vS, Memory<double> vOutS)
            => Scale(Inner.DeterministicPolicyBackup(problem, actionsS, vS, vOutS), vOutS.Span);

        public override double GaussSeidelSweep(in BellmanProblem problem, Memory<double> vS, Memory<int> argmaxS)
            => Scale(Inner.GaussSeidelSweep(problem, vS, argmaxS), vS.Span);

        public override void Multiply(SparseRows matrix, ReadOnlyMemory<double> x, Memory<double> y)
        {
            Inner.Multiply(matrix, x, y);
            Scale(0, y.Span);
        }
    }

    /// <summary>Treats row pointers as offsets from the first one, over the full column and value arrays.</summary>
    private sealed class RelativeRowPointers : Delegating
    {
        private static SparseRows Rebase(SparseRows rows)
        {
            var pointers = rows.RowPointers.ToArray();
            long first = pointers[0];
            for (int i = 0; i < pointers.Length; i++) pointers[i] -= first;
            return new SparseRows(pointers, rows.Columns, rows.Values);
        }

        public override double HardBackup(in BellmanProblem problem, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS, Memory<int> argmaxS)
            => Inner.HardBackup(new BellmanProblem(Rebase(problem.Transitions), problem.RewardsSA, problem.StateCount, problem.ActionCount, problem.Discount), vS, qSA, vOutS, argmaxS);

        public override void Multiply(SparseRows matrix, ReadOnlyMemory<double> x, Memory<double> y)
            => Inner.Multiply(Rebase(matrix), x, y);
    }

    /// <summary>Also writes the entry just past the end of its value slice.</summary>
    private sealed class OutOfSliceWriter : Delegating
    {
        public override double HardBackup(in BellmanProblem problem, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS, Memory<int> argmaxS)
        {
            double change = Inner.HardBackup(problem, vS, qSA, vOutS, argmaxS);
            if (MemoryMarshal.TryGetArray<double>(vOutS, out var segment))
                segment.Array![segment.Offset + segment.Count] = 0;
            return change;
        }
    }

    /// <summary>Reports a NaN change as 0.</summary>
    private sealed class NaNSwallowing : Delegating
    {
        private static double Swallow(double change) => double.IsNaN(change) ? 0 : change;

        public override double HardBackup(in BellmanProblem problem, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS, Memory<int> argmaxS)
            => Swallow(Inner.HardBackup(problem, vS, qSA, vOutS, argmaxS));

        public override double GaussSeidelSweep(in BellmanProblem problem, Memory<double> vS, Memory<int> argmaxS)
            => Swallow(Inner.GaussSeidelSweep(problem, vS, argmaxS));
    }

    /// <summary>Reports the last maximiser of its Q instead of the first.</summary>
    private sealed class LastMaximiser : Delegating
    {
        public override double HardBackup(in BellmanProblem problem, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS, Memory<int> argmaxS)
        {
            int A = problem.ActionCount;
            var q = qSA.IsEmpty ? new double[problem.StateCount * A] : qSA;
            double change = Inner.HardBackup(problem, vS, q, vOutS, argmaxS);
            for (int s = 0; s < argmaxS.Length; s++)
            {
                var row = q.Span.Slice(s * A, A);
                int last = 0;
                for (int a = 1; a < A; a++)
                    if (row[a] >= row[last]) last = a;
                argmaxS.Span[s] = last;
            }
            return change;
        }
    }

    /// <summary>KL backup with the maximum taken over all actions, not over the reference's support.</summary>
    private sealed class KlMaximumOverAllActions : Delegating
    {
        public override double KlBackup(in BellmanProblem problem, double coefficient, ReadOnlyMemory<double> logReferenceSA, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
        {
            int S = problem.StateCount, A = problem.ActionCount;
            var q = new double[S * A];
            Inner.HardBackup(problem, vS, q, vOutS, Memory<int>.Empty);
            var logWeights = logReferenceSA.Span;
            var vOut = vOutS.Span;
            double change = 0;
            bool finite = true;
            for (int s = 0; s < S; s++)
            {
                double m = vOut[s], sum = 0;
                for (int a = 0; a < A; a++)
                    if (!double.IsNegativeInfinity(logWeights[s * A + a]))
                        sum += Math.Exp(logWeights[s * A + a] + (q[s * A + a] - m) / coefficient);
                vOut[s] = m + coefficient * Math.Log(sum);
                finite &= double.IsFinite(vOut[s]);
                change = Math.Max(change, Math.Abs(vOut[s] - vS.Span[s]));
            }
            if (!qSA.IsEmpty) q.CopyTo(qSA);
            return finite ? change : double.NaN;
        }
    }
}
