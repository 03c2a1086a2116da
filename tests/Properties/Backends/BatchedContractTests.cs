using TabularRL.Engine.Generators;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Backends;

/// <summary>
/// The contract of <see cref="IBatchedBellmanBackend"/> on every backend: each MDP of a batch ends exactly where a solo
/// <see cref="ValueIteration"/> solve of it ends (bit for bit on a backend of the same kind, within the certified
/// bounds across kinds), whatever the batch around it and the number of threads; a non-finite value freezes only its
/// MDP; bad arguments are refused by name.
/// </summary>
public sealed class BatchedContractTests
{
    private const double Tolerance = 1e-8;

    [Fact]
    public void RandomBatches_EveryMdp_EqualsItsSoloSolveBitwiseAndAgreesAcrossBackends()
    {
        PropertyCheck.Run(BatchCase.Arbitrary(), c =>
        {
            var batch = c.Batch();
            var failures = new List<string>();
            BatchedOutputs? reference = null;
            foreach (var (name, batched, soloBackend) in BatchedCheck.Backends())
            {
                var outputs = BatchedOutputs.Run(batched, batch, Tolerance);
                if (!outputs.AllConverged) failures.Add($"{name}: returned false on a batch that converges");
                reference ??= outputs;
                for (int b = 0; b < c.B; b++)
                {
                    var solo = ValueIteration.Solve(c.Solo(b), new SolverOptions { Tolerance = Tolerance }, soloBackend);
                    BatchedCheck.Bitwise(failures, name, b, c.S, outputs, solo);
                    BatchedCheck.WithinBounds(failures, name, b, c.S, c.A, c.Discounts[b], outputs, solo);
                    if (!(outputs.ErrorBoundsB[b] <= Tolerance)) failures.Add($"{name}: MDP {b} bound {outputs.ErrorBoundsB[b]} above the tolerance");
                }
                // Across kinds (reference against cpu): the values of one within the other's bounds and rounding.
                var referenceSolo = new ReferenceBackend();
                for (int b = 0; b < c.B; b++)
                {
                    var solo = ValueIteration.Solve(c.Solo(b), new SolverOptions { Tolerance = Tolerance }, referenceSolo);
                    BatchedCheck.WithinBounds(failures, name + " against the reference's solo solve", b, c.S, c.A, c.Discounts[b], outputs, solo);
                }
            }
            BatchedCheck.AssertNone(failures, c);
        }, PropertyCheck.SolverCases);
    }

    [Fact]
    public void Cpu_OneTwoAndFourThreadsAndARepeatedCall_BitwiseIdenticalOutputs()
    {
        // 300 garnets with discounts 0.5 to 0.99, so the MDPs need from about 30 to 2000 sweeps and the threads take
        // blocks of very different lengths: who solves which MDP differs from run to run.
        var batch = BatchedMdp.FromModels(BatchCase.Garnets(300, 0.5, 0.9, 0.99, 0.95));
        var baseline = BatchedOutputs.Run(new CpuBackend(1), batch, Tolerance);
        var two = new CpuBackend(2);
        var runs = new[] { ("2 threads", BatchedOutputs.Run(two, batch, Tolerance)), ("2 threads, repeated", BatchedOutputs.Run(two, batch, Tolerance)), ("4 threads", BatchedOutputs.Run(new CpuBackend(4), batch, Tolerance)) };
        var failures = new List<string>();
        foreach (var (name, run) in runs)
        {
            if (run.AllConverged != baseline.AllConverged) failures.Add($"{name}: returned {run.AllConverged}, 1 thread {baseline.AllConverged}");
            for (int i = 0; i < baseline.ValuesBS.Length; i++)
            {
                if (BatchedCheck.Bits(run.ValuesBS[i]) != BatchedCheck.Bits(baseline.ValuesBS[i])) failures.Add($"{name}: value {i} differs from 1 thread");
                if (run.ActionsBS[i] != baseline.ActionsBS[i]) failures.Add($"{name}: action {i} differs from 1 thread");
            }
            for (int b = 0; b < batch.BatchCount; b++)
            {
                if (BatchedCheck.Bits(run.ErrorBoundsB[b]) != BatchedCheck.Bits(baseline.ErrorBoundsB[b])) failures.Add($"{name}: bound {b} differs from 1 thread");
                if (run.SweepsB[b] != baseline.SweepsB[b]) failures.Add($"{name}: sweeps {b} differ from 1 thread");
            }
        }
        BatchedCheck.AssertNone(failures, "300 garnets S=50 A=4 K=5");
        Assert.True(baseline.SweepsB.Max() > 10 * baseline.SweepsB.Min(), "the batch was meant to mix fast and slow MDPs");
    }

    [Fact]
    public void BatchOfOne_EqualsTheSoloSolve()
    {
        var mdp = BatchCase.Garnets(1, 0.9)[0];
        var batch = BatchedMdp.FromModels([mdp]);
        var failures = new List<string>();
        foreach (var (name, batched, soloBackend) in BatchedCheck.Backends())
        {
            var outputs = BatchedOutputs.Run(batched, batch, Tolerance);
            Assert.True(outputs.AllConverged, name);
            var solo = ValueIteration.Solve(mdp, new SolverOptions { Tolerance = Tolerance }, soloBackend);
            BatchedCheck.Bitwise(failures, name, 0, 50, outputs, solo);
            BatchedCheck.WithinBounds(failures, name, 0, 50, 4, 0.9, outputs, solo);
        }
        BatchedCheck.AssertNone(failures, "one garnet");
    }

    [Fact]
    public void OneSlowMdp_OthersStopEarlyAndAreUntouchedByItsLaterSweeps()
    {
        // MDP 2 has gamma = 0.999 (thousands of sweeps), the others 0.5 (a few dozen). Each must still equal its solo
        // solve bit for bit: a frozen MDP that were swept again would end with more sweeps, a smaller bound and other bits.
        var mdps = BatchCase.Garnets(5, 0.5);
        mdps[2] = Garnet.Create(new GarnetOptions { States = 50, Actions = 4, Branching = 5, Discount = 0.999, Seed = 2 });
        var batch = BatchedMdp.FromModels(mdps);
        var failures = new List<string>();
        foreach (var (name, batched, soloBackend) in BatchedCheck.Backends())
        {
            var outputs = BatchedOutputs.Run(batched, batch, Tolerance);
            for (int b = 0; b < mdps.Length; b++)
            {
                var solo = ValueIteration.Solve(mdps[b], new SolverOptions { Tolerance = Tolerance }, soloBackend);
                BatchedCheck.Bitwise(failures, name, b, 50, outputs, solo);
                if (b != 2 && !(outputs.SweepsB[b] * 20 < outputs.SweepsB[2]))
                    failures.Add($"{name}: MDP {b} took {outputs.SweepsB[b]} sweeps, the slow MDP {outputs.SweepsB[2]}");
            }
        }
        BatchedCheck.AssertNone(failures, "four garnets at gamma 0.5, one at 0.999");
    }

    [Fact]
    public void MaxSweeps_StopsOnlyTheMdpsThatNeedMoreAndReturnsFalse()
    {
        var mdps = BatchCase.Garnets(4, 0.5, 0.99);
        var batch = BatchedMdp.FromModels(mdps);
        foreach (var (name, batched, _) in BatchedCheck.Backends())
        {
            var outputs = BatchedOutputs.Run(batched, batch, Tolerance, maxSweeps: 100);
            Assert.False(outputs.AllConverged, name);
            for (int b = 0; b < 4; b++)
            {
                // gamma = 0.5 converges in about 35 sweeps, gamma = 0.99 needs about 2300.
                bool slow = b % 2 == 1;
                Assert.True(slow ? outputs.SweepsB[b] == 100 && outputs.ErrorBoundsB[b] > Tolerance
                                 : outputs.SweepsB[b] < 100 && outputs.ErrorBoundsB[b] <= Tolerance,
                    $"{name}: MDP {b} took {outputs.SweepsB[b]} sweeps to a bound of {outputs.ErrorBoundsB[b]}");
            }
        }
    }

    [Fact]
    public void StartValues_FromConvergedValues_OneSweepToTheTolerance()
    {
        // From V_k with bound c ||V_k - V_{k-1}|| <= tol, one more sweep moves by at most gamma ||V_k - V_{k-1}||, so
        // its bound is at most gamma tol <= tol: exactly one sweep.
        var batch = BatchedMdp.FromModels(BatchCase.Garnets(6, 0.9, 0.99));
        foreach (var (name, batched, _) in BatchedCheck.Backends())
        {
            var first = BatchedOutputs.Run(batched, batch, Tolerance);
            var again = BatchedOutputs.Run(batched, batch, Tolerance, start: first.ValuesBS);
            Assert.All(again.SweepsB, k => Assert.Equal(1, k));
            for (int i = 0; i < first.ValuesBS.Length; i++)
                Assert.True(Math.Abs(again.ValuesBS[i] - first.ValuesBS[i]) <= first.ErrorBoundsB[i / 50] + again.ErrorBoundsB[i / 50], $"{name}: value {i}");
        }
    }

    [Fact]
    public void NonFiniteValue_FreezesOnlyThatMdpWithANaNBoundAndReturnsFalse()
    {
        // MDP 1's rewards are 1e308 at gamma 0.9: V_2 = r + 0.9 r overflows to infinity in the second sweep.
        var mdps = BatchCase.Garnets(3, 0.9);
        mdps[1] = mdps[1].WithExpectedRewards(Enumerable.Repeat(1e308, 200).ToArray());
        var batch = BatchedMdp.FromModels(mdps);
        var failures = new List<string>();
        foreach (var (name, batched, soloBackend) in BatchedCheck.Backends())
        {
            var outputs = BatchedOutputs.Run(batched, batch, Tolerance);
            Assert.False(outputs.AllConverged, name);
            Assert.True(double.IsNaN(outputs.ErrorBoundsB[1]), $"{name}: bound {outputs.ErrorBoundsB[1]}");
            Assert.Equal(2, outputs.SweepsB[1]);
            Assert.Contains(outputs.ValuesBS.Skip(50).Take(50), v => double.IsInfinity(v));
            foreach (int b in new[] { 0, 2 })
                BatchedCheck.Bitwise(failures, name, b, 50, outputs, ValueIteration.Solve(mdps[b], new SolverOptions { Tolerance = Tolerance }, soloBackend));
        }
        BatchedCheck.AssertNone(failures, "overflow in MDP 1");
    }

    [Fact]
    public void ExactTies_GoToTheLowestAction()
    {
        // Every action of a state has the same row and reward, so Q ties exactly at every sweep: the actions must be 0.
        // MDP 1 makes action 2 strictly best, so that a backend writing 0 everywhere fails too.
        const int S = 3, A = 3;
        var transitions = new double[2 * S * A * S];
        var rewards = new double[2 * S * A];
        for (int b = 0; b < 2; b++)
            for (int s = 0; s < S; s++)
                for (int a = 0; a < A; a++)
                {
                    transitions[((b * S + s) * A + a) * S + (s + 1) % S] = 1;
                    rewards[(b * S + s) * A + a] = b == 0 ? s : a;
                }
        var batch = BatchedMdp.FromDense(S, A, transitions, rewards, [0.9, 0.9]);
        foreach (var (name, backend, _) in BatchedCheck.Backends())
        {
            var outputs = BatchedOutputs.Run(backend, batch, Tolerance);
            Assert.True(outputs.ActionsBS.SequenceEqual([0, 0, 0, 2, 2, 2]), $"{name}: actions {string.Join(", ", outputs.ActionsBS)}");
        }
    }

    [Fact]
    public void BadArguments_AreRefusedNamingTheArgument()
    {
        var batch = BatchedMdp.FromModels(BatchCase.Garnets(2, 0.9)).Problem;
        foreach (var (name, backend, _) in BatchedCheck.Backends())
        {
            var (v, a, e, k) = (new double[100], new int[100], new double[2], new int[2]);
            Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => backend.ValueIteration(batch, 0, 10, v, a, e, k)).ParamName);
            Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => backend.ValueIteration(batch, double.NaN, 10, v, a, e, k)).ParamName);
            Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => backend.ValueIteration(batch, double.PositiveInfinity, 10, v, a, e, k)).ParamName);
            Assert.Equal("maxSweeps", Assert.Throws<ArgumentOutOfRangeException>(() => backend.ValueIteration(batch, 1e-8, 0, v, a, e, k)).ParamName);
            var wrong = Assert.Throws<ArgumentException>(() => backend.ValueIteration(batch, 1e-8, 10, new double[99], a, e, k));
            Assert.Equal("valuesBS", wrong.ParamName);
            Assert.Contains("99", wrong.Message);
            Assert.Contains("B*S = 100", wrong.Message);
            Assert.Equal("actionsBS", Assert.Throws<ArgumentException>(() => backend.ValueIteration(batch, 1e-8, 10, v, new int[101], e, k)).ParamName);
            Assert.Equal("errorBoundsB", Assert.Throws<ArgumentException>(() => backend.ValueIteration(batch, 1e-8, 10, v, a, new double[1], k)).ParamName);
            Assert.Equal("sweepsB", Assert.Throws<ArgumentException>(() => backend.ValueIteration(batch, 1e-8, 10, v, a, e, new int[3])).ParamName);
            Assert.All(k, x => Assert.Equal(0, x));
        }
    }
}
