using FsCheck;
using FsCheck.Fluent;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Backends;

/// <summary>
/// The contract every <see cref="IBellmanBackend"/> must meet, checked against the scalar <see cref="ReferenceBackend"/>
/// (the oracle) on random problems: every primitive, row lengths 1..64 (0..64 for <c>Multiply</c>, the only place a
/// row may be empty), single actions, absorbing states, more than one block of states, temperatures 1e-8..1e8, and
/// rewards and values of magnitude 1, 1e-300 and 1e300. Tolerances scale with the magnitudes involved (summation order
/// may differ: up to 64 terms, so 128 eps of the scale). One derived class per backend fixture, as ILGPU does.
/// </summary>
public abstract class BackendContractTests : IDisposable
{
    private const int Cases = 60;

    private readonly ReferenceBackend _oracle = new();

    protected BackendContractTests()
    {
        Backend = CreateBackend();
    }

    protected IBellmanBackend Backend { get; }

    protected abstract IBellmanBackend CreateBackend();

    private string Name(string test) => $"{test}-{GetType().Name}";

    public void Dispose()
    {
        Backend.Dispose();
        _oracle.Dispose();
    }

    [Fact]
    public void IsAvailable_Always_True() => Assert.True(Backend.IsAvailable);

    // max |r| + gamma max |v|: the size of every Q entry and of the terms summed into it.
    private static double QScale(KernelCase c)
        => Numerics.SupNorm(c.Data.RewardsSA) + c.Discount * Numerics.SupNorm(c.Data.VS);

    private static double QTolerance(KernelCase c) => 128 * Numerics.Epsilon * QScale(c);

    // Log-sum-exp adds t log(sum) (sum in [1, A]) and t log pi_ref: rounding relative to those magnitudes.
    private static double RegularisedTolerance(KernelCase c, bool kl)
    {
        double logScale = Math.Log(c.ActionCount) + 1;
        if (kl)
            foreach (double x in c.Data.LogReferenceSA)
                if (double.IsFinite(x)) logScale = Math.Max(logScale, Math.Abs(x) + Math.Log(c.ActionCount) + 1);
        return 2 * QTolerance(c) + 256 * Numerics.Epsilon * (QScale(c) + c.Temperature * logScale);
    }

    private static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(double.IsFinite(actual[i]) == double.IsFinite(expected[i]), $"{what}[{i}]: {actual[i]} vs oracle {expected[i]}");
            if (double.IsFinite(expected[i]))
                Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance, $"{what}[{i}]: {actual[i]} vs oracle {expected[i]} (tol {tolerance})");
        }
    }

    private static void AssertChange(double expected, double actual, double tolerance)
    {
        Assert.Equal(double.IsNaN(expected), double.IsNaN(actual));
        if (!double.IsNaN(expected))
            Assert.True(Math.Abs(actual - expected) <= 2 * tolerance, $"change {actual} vs oracle {expected}");
    }

    [Fact]
    public void HardBackup_RandomProblems_MatchesOracleIncludingArgmax()
    {
        PropertyCheck.Run(KernelCase.Arbitrary(), c =>
        {
            int S = c.StateCount, A = c.ActionCount;
            var (q, v, argmax) = (new double[S * A], new double[S], new int[S]);
            var (qRef, vRef, argmaxRef) = (new double[S * A], new double[S], new int[S]);
            double change = Backend.HardBackup(c.Problem, c.Data.VS, q, v, argmax);
            double changeRef = _oracle.HardBackup(c.Problem, c.Data.VS, qRef, vRef, argmaxRef);
            double tol = QTolerance(c);
            Assert.False(double.IsNaN(change), "spurious NaN");
            AssertChange(changeRef, change, tol);
            AssertClose(qRef, q, tol, "Q");
            AssertClose(vRef, v, tol, "V");
            for (int s = 0; s < S; s++)
            {
                // The first maximiser; a different index only where two Q entries tie within rounding.
                if (argmax[s] != argmaxRef[s])
                    Assert.True(Math.Abs(qRef[s * A + argmax[s]] - qRef[s * A + argmaxRef[s]]) <= 2 * tol, $"argmax of s={s}: {argmax[s]} vs oracle {argmaxRef[s]}");
                Assert.Equal(v[s], q[s * A + argmax[s]]);
            }
            // Without Q and argmax outputs the values are the same.
            var vOnly = new double[S];
            Assert.Equal(change, Backend.HardBackup(c.Problem, c.Data.VS, Memory<double>.Empty, vOnly, Memory<int>.Empty));
            Assert.Equal(v, vOnly);
        }, Cases, Name(nameof(HardBackup_RandomProblems_MatchesOracleIncludingArgmax)));
    }

    [Fact]
    public void SoftBackup_RandomProblemsAndTemperatures_MatchesOracle()
    {
        PropertyCheck.Run(KernelCase.Arbitrary(), c =>
        {
            int S = c.StateCount, A = c.ActionCount;
            var (q, v, qRef, vRef) = (new double[S * A], new double[S], new double[S * A], new double[S]);
            double change = Backend.SoftBackup(c.Problem, c.Temperature, c.Data.VS, q, v);
            double changeRef = _oracle.SoftBackup(c.Problem, c.Temperature, c.Data.VS, qRef, vRef);
            double tol = RegularisedTolerance(c, kl: false);
            Assert.False(double.IsNaN(change), "spurious NaN");
            AssertChange(changeRef, change, tol);
            AssertClose(qRef, q, QTolerance(c), "Q");
            AssertClose(vRef, v, tol, "V");
            // max <= soft <= max + t log A, whatever the temperature.
            for (int s = 0; s < S; s++)
            {
                double max = q.AsSpan(s * A, A).ToArray().Max();
                Assert.True(v[s] >= max - tol && v[s] <= max + c.Temperature * Math.Log(A) + tol, $"s={s}: soft {v[s]} outside [max, max + t log A]");
            }
        }, Cases, Name(nameof(SoftBackup_RandomProblemsAndTemperatures_MatchesOracle)));
    }

    [Fact]
    public void KlBackup_ReferenceWithZeros_MatchesOracle()
    {
        PropertyCheck.Run(KernelCase.Arbitrary(), c =>
        {
            int S = c.StateCount, A = c.ActionCount;
            var (q, v, qRef, vRef) = (new double[S * A], new double[S], new double[S * A], new double[S]);
            double change = Backend.KlBackup(c.Problem, c.Temperature, c.Data.LogReferenceSA, c.Data.VS, q, v);
            double changeRef = _oracle.KlBackup(c.Problem, c.Temperature, c.Data.LogReferenceSA, c.Data.VS, qRef, vRef);
            double tol = RegularisedTolerance(c, kl: true);
            Assert.False(double.IsNaN(change), "spurious NaN");
            AssertChange(changeRef, change, tol);
            AssertClose(vRef, v, tol, "V");
            // Within [min, max] of Q over the support of the reference (a weighted power mean).
            for (int s = 0; s < S; s++)
            {
                var support = Enumerable.Range(0, A).Where(a => double.IsFinite(c.Data.LogReferenceSA[s * A + a])).Select(a => q[s * A + a]).ToArray();
                Assert.True(v[s] >= support.Min() - tol && v[s] <= support.Max() + tol, $"s={s}: KL value {v[s]} outside the support's Q range");
            }
        }, Cases, Name(nameof(KlBackup_ReferenceWithZeros_MatchesOracle)));
    }

    [Fact]
    public void PolicyBackup_StochasticPolicyWithZeros_MatchesOracle()
    {
        PropertyCheck.Run(KernelCase.Arbitrary(), c =>
        {
            var (v, vRef) = (new double[c.StateCount], new double[c.StateCount]);
            double change = Backend.PolicyBackup(c.Problem, c.Data.PolicySA, c.Data.VS, v);
            double changeRef = _oracle.PolicyBackup(c.Problem, c.Data.PolicySA, c.Data.VS, vRef);
            double tol = 2 * QTolerance(c);
            Assert.False(double.IsNaN(change), "spurious NaN");
            AssertChange(changeRef, change, tol);
            AssertClose(vRef, v, tol, "V");
        }, Cases, Name(nameof(PolicyBackup_StochasticPolicyWithZeros_MatchesOracle)));
    }

    [Fact]
    public void DeterministicPolicyBackup_RandomActions_MatchesOracle()
    {
        PropertyCheck.Run(KernelCase.Arbitrary(), c =>
        {
            var (v, vRef) = (new double[c.StateCount], new double[c.StateCount]);
            double change = Backend.DeterministicPolicyBackup(c.Problem, c.Data.ActionsS, c.Data.VS, v);
            double changeRef = _oracle.DeterministicPolicyBackup(c.Problem, c.Data.ActionsS, c.Data.VS, vRef);
            double tol = QTolerance(c);
            Assert.False(double.IsNaN(change), "spurious NaN");
            AssertChange(changeRef, change, tol);
            AssertClose(vRef, v, tol, "V");
        }, Cases, Name(nameof(DeterministicPolicyBackup_RandomActions_MatchesOracle)));
    }

    [Fact]
    public void GaussSeidelSweep_RandomProblems_MatchesOracle()
    {
        PropertyCheck.Run(KernelCase.Arbitrary(), c =>
        {
            var v = (double[])c.Data.VS.Clone();
            var vRef = (double[])c.Data.VS.Clone();
            var (argmax, argmaxRef) = (new int[c.StateCount], new int[c.StateCount]);
            double change = Backend.GaussSeidelSweep(c.Problem, v, argmax);
            double changeRef = _oracle.GaussSeidelSweep(c.Problem, vRef, argmaxRef);
            // Differences propagate through the in-place sweep; gamma <= 1 keeps each state's error within
            // its own rounding plus the largest earlier one, so S times the single-backup tolerance bounds it.
            double tol = QTolerance(c) * c.StateCount;
            Assert.False(double.IsNaN(change), "spurious NaN");
            AssertChange(changeRef, change, tol);
            AssertClose(vRef, v, tol, "V");
        }, Cases, Name(nameof(GaussSeidelSweep_RandomProblems_MatchesOracle)));
    }

    /// <summary>Raw CSR rows of every length 0..64 with signed values, and an input vector.</summary>
    public sealed record MultiplyCase(int Rows, int Columns, double Magnitude, int Seed)
    {
        public override string ToString() => $"MultiplyCase(rows={Rows}, columns={Columns}, magnitude={ModelCase.R(Magnitude)}, seed={Seed})";

        public (SparseRows Matrix, double[] X) Make()
        {
            var random = new System.Random(Seed);
            var indptr = new long[Rows + 1];
            var columns = new List<int>();
            var values = new List<double>();
            for (int row = 0; row < Rows; row++)
            {
                int length = Math.Min(row % 65, Columns);
                var chosen = new HashSet<int>();
                while (chosen.Count < length) chosen.Add(random.Next(Columns));
                foreach (int column in chosen.Order())
                {
                    columns.Add(column);
                    values.Add(2 * random.NextDouble() - 1);
                }
                indptr[row + 1] = columns.Count;
            }
            var x = Enumerable.Range(0, Columns).Select(_ => (2 * random.NextDouble() - 1) * Magnitude).ToArray();
            return (new SparseRows(indptr, columns.ToArray(), values.ToArray()), x);
        }
    }

    [Fact]
    public void Multiply_RowLengthsZeroToSixtyFour_MatchesOracle()
    {
        var cases = (from rows in Gen.OneOf(Gen.Choose(1, 200), Gen.Constant(5000))
                     from columns in Gen.Choose(1, 100)
                     from magnitude in Gen.Elements(1.0, 1e-300, 1e300)
                     from seed in Gen.Choose(0, int.MaxValue)
                     select new MultiplyCase(rows, columns, magnitude, seed)).ToArbitrary();
        PropertyCheck.Run(cases, c =>
        {
            var (matrix, x) = c.Make();
            var (y, yRef) = (new double[c.Rows], new double[c.Rows]);
            Backend.Multiply(matrix, x, y);
            _oracle.Multiply(matrix, x, yRef);
            var rowPointers = matrix.RowPointers.Span;
            for (int row = 0; row < c.Rows; row++)
            {
                double magnitude = 0;
                for (long k = rowPointers[row]; k < rowPointers[row + 1]; k++)
                    magnitude += Math.Abs(matrix.Values.Span[(int)k] * x[matrix.Columns.Span[(int)k]]);
                if (rowPointers[row + 1] == rowPointers[row]) Assert.Equal(0.0, y[row]);
                Assert.True(Math.Abs(y[row] - yRef[row]) <= 128 * Numerics.Epsilon * magnitude, $"row {row}: {y[row]} vs oracle {yRef[row]}");
            }
        }, Cases, Name(nameof(Multiply_RowLengthsZeroToSixtyFour_MatchesOracle)));
    }

    private static BellmanProblem Constant(double reward, double discount, int S = 3, int A = 2)
    {
        var indptr = Enumerable.Range(0, S * A + 1).Select(i => (long)i).ToArray();
        var columns = Enumerable.Range(0, S * A).Select(i => (i / A + 1) % S).ToArray();
        return Numerics.Problem(indptr, columns, Enumerable.Repeat(1.0, S * A).ToArray(), Enumerable.Repeat(reward, S * A).ToArray(), S, A, discount);
    }

    [Fact]
    public void HardBackupAndSweep_ExactTies_GoToTheLowestAction()
    {
        // Every action of a state leads to the same next state with the same reward: all Q entries tie exactly.
        var p = Constant(0.5, 0.9, S: 5, A: 4);
        var v = new double[] { 1, 2, 3, 4, 5 };
        var argmax = Enumerable.Repeat(-1, 5).ToArray();
        Backend.HardBackup(p, v, new double[20], new double[5], argmax);
        Assert.All(argmax, a => Assert.Equal(0, a));
        argmax = Enumerable.Repeat(-1, 5).ToArray();
        Backend.GaussSeidelSweep(p, v, argmax);
        Assert.All(argmax, a => Assert.Equal(0, a));
    }

    [Fact]
    public void EveryBackup_Overflow_ReturnsNaN()
    {
        // r = 1e308 and V = 1e308 with gamma = 0.99: Q = 1.99e308 overflows to infinity in every backup.
        var p = Constant(1e308, 0.99);
        var v = new[] { 1e308, 1e308, 1e308 };
        var (q, vOut) = (new double[6], new double[3]);
        Assert.True(double.IsNaN(Backend.HardBackup(p, v, q, vOut, new int[3])));
        Assert.True(double.IsNaN(Backend.SoftBackup(p, 1, v, q, vOut)));
        Assert.True(double.IsNaN(Backend.KlBackup(p, 1, new double[] { 0, double.NegativeInfinity, -1, -1, 0, 0 }, v, q, vOut)));
        Assert.True(double.IsNaN(Backend.PolicyBackup(p, new double[] { 0.5, 0.5, 1, 0, 0, 1 }, v, vOut)));
        Assert.True(double.IsNaN(Backend.DeterministicPolicyBackup(p, new[] { 0, 1, 0 }, v, vOut)));
        Assert.True(double.IsNaN(Backend.GaussSeidelSweep(p, (double[])v.Clone(), Memory<int>.Empty)));
    }

    [Theory]
    [InlineData(1e300, 0.9)]
    [InlineData(-1e300, 0.9)]
    [InlineData(1e-300, 0.999)]
    public void EveryBackup_ExtremeButRepresentable_StaysFinite(double reward, double gamma)
    {
        // V = r/(1-gamma) is the fixed point: 1e301 is still far from overflow, 1e-297 far from underflow to 0.
        var p = Constant(reward, gamma);
        double fixedPoint = reward / (1 - gamma);
        var v = new[] { fixedPoint, fixedPoint, fixedPoint };
        var (q, vOut) = (new double[6], new double[3]);
        double tol = 16 * Numerics.Epsilon * Math.Abs(fixedPoint);
        foreach (double t in new[] { 1e-8, 1.0, 1e8 })
        {
            Assert.True(Backend.SoftBackup(p, t, v, q, vOut) <= tol + t * Math.Log(2));
            Assert.All(vOut, x => Assert.True(double.IsFinite(x)));
            Assert.True(Backend.KlBackup(p, t, new double[] { 0, double.NegativeInfinity, Math.Log(0.5), Math.Log(0.5), 0, double.NegativeInfinity }, v, q, vOut) <= tol + t * Math.Log(2));
            Assert.All(vOut, x => Assert.True(double.IsFinite(x)));
        }
        Assert.InRange(Backend.HardBackup(p, v, q, vOut, new int[3]), 0, tol);
        Assert.All(vOut, x => Assert.Equal(fixedPoint, x, tol));
        Assert.InRange(Backend.PolicyBackup(p, new double[] { 0.5, 0.5, 1, 0, 0, 1 }, v, vOut), 0, tol);
        Assert.InRange(Backend.DeterministicPolicyBackup(p, new[] { 0, 1, 0 }, v, vOut), 0, tol);
        Assert.InRange(Backend.GaussSeidelSweep(p, (double[])v.Clone(), Memory<int>.Empty), 0, tol);
    }
}

public sealed class ReferenceBackendContractTests : BackendContractTests
{
    protected override IBellmanBackend CreateBackend() => new ReferenceBackend();
}

public sealed class CpuBackendOneThreadContractTests : BackendContractTests
{
    protected override IBellmanBackend CreateBackend() => new CpuBackend(1);
}

public sealed class CpuBackendTwoThreadsContractTests : BackendContractTests
{
    protected override IBellmanBackend CreateBackend() => new CpuBackend(2);
}

public sealed class CpuBackendThreeThreadsContractTests : BackendContractTests
{
    protected override IBellmanBackend CreateBackend() => new CpuBackend(3);
}

public sealed class CpuBackendFourThreadsContractTests : BackendContractTests
{
    protected override IBellmanBackend CreateBackend() => new CpuBackend(4);
}

/// <summary>The interface's promise that results do not depend on the number of threads: bit-for-bit equal outputs.</summary>
public sealed class CpuBackendThreadCountTests
{
    [Fact]
    public void EveryPrimitive_OneToFourThreads_BitwiseIdentical()
    {
        PropertyCheck.Run(KernelCase.Arbitrary(KernelShape.Large), c =>
        {
            int S = c.StateCount, A = c.ActionCount;
            double[]? baseline = null;
            for (int threads = 1; threads <= 4; threads++)
            {
                using var backend = new CpuBackend(threads);
                var outputs = new List<double>();
                var (q, v) = (new double[S * A], new double[S]);
                var argmax = new int[S];
                outputs.Add(backend.HardBackup(c.Problem, c.Data.VS, q, v, argmax));
                outputs.AddRange(q); outputs.AddRange(v); outputs.AddRange(argmax.Select(a => (double)a));
                outputs.Add(backend.SoftBackup(c.Problem, c.Temperature, c.Data.VS, q, v));
                outputs.AddRange(v);
                outputs.Add(backend.KlBackup(c.Problem, c.Temperature, c.Data.LogReferenceSA, c.Data.VS, q, v));
                outputs.AddRange(v);
                outputs.Add(backend.PolicyBackup(c.Problem, c.Data.PolicySA, c.Data.VS, v));
                outputs.AddRange(v);
                outputs.Add(backend.DeterministicPolicyBackup(c.Problem, c.Data.ActionsS, c.Data.VS, v));
                outputs.AddRange(v);
                var y = new double[S * A];
                backend.Multiply(c.Problem.Transitions, c.Data.VS, y);
                outputs.AddRange(y);
                var current = outputs.ToArray();
                if (baseline is null) baseline = current;
                else Assert.True(baseline.SequenceEqual(current), $"{threads} threads differ from 1 thread");
            }
        }, 12);
    }
}
