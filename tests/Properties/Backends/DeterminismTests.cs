using FsCheck;
using FsCheck.Fluent;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Backends;

/// <summary>
/// Results that must not change at all, compared bit for bit (<see cref="BitConverter.DoubleToInt64Bits"/>): the
/// interface promises that they do not depend on the number of threads, and the house style that reductions keep a
/// fixed order, so they do not depend on where a row sits in memory either.
/// </summary>
public sealed class DeterminismTests : IDisposable
{
    private readonly BackendSet _backends = BackendSet.UnderTest();

    public void Dispose() => _backends.Dispose();

    /// <summary>This class's properties cover the CUDA backend where a device is present; skipped with the reason elsewhere.</summary>
    [CudaFact]
    public void Cuda_DevicePresent_IsAmongTheBackendsUnderTest() => _backends.AssertIncludesCuda();

    [Fact]
    public void CpuBackend_OneToFourThreadsAndRepeatedCalls_BitwiseIdenticalOutputsOfEveryPrimitive()
    {
        // 20000 states: ten 2048-state blocks, so every thread count partitions differently; entries spread evenly
        // (RowLengths) or concentrated in the first states (Unbalanced), so partitions by states and by entries differ.
        var cases = (from shape in Gen.Elements(KernelShape.RowLengths, KernelShape.Unbalanced)
                     from A in Gen.Choose(2, 3)
                     from magnitude in Gen.Elements(1.0, 1e300)
                     from t in Gen.Elements(1e-8, 1.0, 1e8)
                     from seed in Gen.Choose(0, int.MaxValue)
                     select new KernelCase(shape, 20000, A, 0.95, magnitude, t, seed)).ToArbitrary();
        PropertyCheck.Run(cases, c => Determinism.AssertBitwiseAcrossThreadCounts(threads => new CpuBackend(threads), c.Model, c.Temperature, c.ToString()), 4);
    }

    [Fact]
    public void HardBackupAndMultiply_IdenticalRowsAtEveryAlignment_BitwiseIdenticalResults()
    {
        // Each state has A = 8 identical rows (same columns, probabilities and reward) of length 1 + s mod 64, stored one
        // after the other: for odd lengths the 8 copies start at 8 different offsets modulo 8 doubles (64 bytes), so
        // a kernel whose summation order follows alignment gives different bits. Q must tie exactly, so the argmax is 0.
        const int S = 130, A = 8;
        var random = new System.Random(19);
        var indptr = new long[S * A + 1];
        var columns = new List<int>();
        var values = new List<double>();
        for (int s = 0; s < S; s++)
        {
            int[] next = KernelModel.DistinctColumns(random, S, 1 + s % 64, first: s % 2 == 0, last: s % 3 == 0);
            double[] p = next.Select(_ => 0.05 + random.NextDouble()).ToArray();
            double total = p.Sum();
            for (int a = 0; a < A; a++)
            {
                columns.AddRange(next);
                values.AddRange(p.Select(x => x / total));
                indptr[s * A + a + 1] = columns.Count;
            }
        }
        var rewards = Enumerable.Range(0, S * A).Select(row => (double)(row / A % 7)).ToArray();
        var v = Padded.Around(Enumerable.Range(0, S).Select(_ => 2 * random.NextDouble() - 1).ToArray());
        var problem = new BellmanProblem(Padded.Rows(indptr, columns.ToArray(), values.ToArray()), Padded.Around(rewards), S, A, 0.9);

        var failures = new List<string>();
        foreach (var (name, backend) in _backends.Members)
        {
            var (q, vOut, argmax) = (new double[S * A], new double[S], new int[S]);
            backend.HardBackup(problem, v, q, vOut, argmax);
            var y = new double[S * A];
            backend.Multiply(problem.Transitions, v, y);
            for (int s = 0; s < S; s++)
            {
                for (int a = 1; a < A; a++)
                {
                    if (BitConverter.DoubleToInt64Bits(q[s * A + a]) != BitConverter.DoubleToInt64Bits(q[s * A]))
                        failures.Add($"{name}: Q[s={s}, a={a}] = {Mismatches.R(q[s * A + a])} but Q[s={s}, a=0] = {Mismatches.R(q[s * A])} for the same row (length {1 + s % 64})");
                    if (BitConverter.DoubleToInt64Bits(y[s * A + a]) != BitConverter.DoubleToInt64Bits(y[s * A]))
                        failures.Add($"{name}: Multiply row {s * A + a} = {Mismatches.R(y[s * A + a])} but row {s * A} = {Mismatches.R(y[s * A])} for the same row (length {1 + s % 64})");
                }
                if (argmax[s] != 0)
                    failures.Add($"{name}: argmax[{s}] = {argmax[s]} among exactly tied actions");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)) + $"\n({failures.Count} in all)");
    }
}

/// <summary>Bitwise comparison of every output of every primitive across thread counts.</summary>
internal static class Determinism
{
    /// <summary>
    /// Runs every primitive with every output on <paramref name="create"/>(1..4) and a second time on the 4-thread
    /// instance, and asserts that all outputs are bitwise identical to the 1-thread ones.
    /// </summary>
    public static void AssertBitwiseAcrossThreadCounts(Func<int, IBellmanBackend> create, KernelModel model, double t, string context)
    {
        Dictionary<string, long[]>? baseline = null;
        var failures = new List<string>();
        foreach (int threads in new[] { 1, 2, 3, 4 })
        {
            using var backend = create(threads);
            var runs = threads == 4 ? new[] { $"{threads} threads", $"{threads} threads, repeated" } : [$"{threads} thread{(threads == 1 ? "" : "s")}"];
            foreach (string run in runs)
            {
                var outputs = Outputs(backend, model, t);
                if (baseline is null)
                {
                    baseline = outputs;
                    continue;
                }
                foreach (var (key, bits) in outputs)
                {
                    int i = FirstDifference(baseline[key], bits);
                    if (i >= 0)
                        failures.Add($"{key}[{i}] on {run}: {Show(key, bits[i])}, on 1 thread: {Show(key, baseline[key][i])}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{context}: outputs differ from the 1-thread run\n{string.Join("\n", failures)}");
    }

    // Every output of every primitive, as raw bits (actions as their values), keyed by primitive and output.
    private static Dictionary<string, long[]> Outputs(IBellmanBackend backend, KernelModel model, double t)
    {
        var problem = model.Problem;
        int S = model.StateCount, A = model.ActionCount;
        var outputs = new Dictionary<string, long[]>();
        var (q, v, argmax) = (new double[S * A], new double[S], new int[S]);

        double change = backend.HardBackup(problem, model.VS, q, v, argmax);
        Add("HardBackup", change, q, v, argmax);
        change = backend.HardBackup(problem, model.VS, Memory<double>.Empty, v, Memory<int>.Empty);
        Add("HardBackup without Q or argmax", change, null, v, null);
        change = backend.SoftBackup(problem, t, model.VS, q, v);
        Add("SoftBackup", change, q, v, null);
        change = backend.KlBackup(problem, t, model.LogReferenceSA, model.VS, q, v);
        Add("KlBackup", change, q, v, null);
        change = backend.PolicyBackup(problem, model.PolicySA, model.VS, v);
        Add("PolicyBackup", change, null, v, null);
        change = backend.DeterministicPolicyBackup(problem, model.ActionsS, model.VS, v);
        Add("DeterministicPolicyBackup", change, null, v, null);
        var sweep = model.VS.ToArray();
        change = backend.GaussSeidelSweep(problem, sweep, argmax);
        Add("GaussSeidelSweep", change, null, sweep, argmax);
        var y = new double[S * A];
        backend.Multiply(problem.Transitions, model.VS, y);
        outputs["Multiply y"] = Bits(y);
        return outputs;

        void Add(string primitive, double c, double[]? qSA, double[] vS, int[]? argmaxS)
        {
            outputs[$"{primitive} change"] = [BitConverter.DoubleToInt64Bits(c)];
            outputs[$"{primitive} V"] = Bits(vS);
            if (qSA is not null) outputs[$"{primitive} Q"] = Bits(qSA);
            if (argmaxS is not null) outputs[$"{primitive} argmax"] = argmaxS.Select(a => (long)a).ToArray();
        }
    }

    private static long[] Bits(double[] x)
    {
        var bits = new long[x.Length];
        for (int i = 0; i < x.Length; i++) bits[i] = BitConverter.DoubleToInt64Bits(x[i]);
        return bits;
    }

    private static int FirstDifference(long[] expected, long[] actual)
    {
        if (expected.Length != actual.Length) return 0;
        for (int i = 0; i < expected.Length; i++)
            if (expected[i] != actual[i]) return i;
        return -1;
    }

    private static string Show(string key, long bits)
        => key.EndsWith("argmax", StringComparison.Ordinal) ? $"{bits}" : $"{Mismatches.R(BitConverter.Int64BitsToDouble(bits))} (bits {bits:X16})";
}
