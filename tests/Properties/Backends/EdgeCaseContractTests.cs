using TabularRL.Kernels.Backends;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Backends;

/// <summary>
/// Edge cases of the backend contract, every backend against the oracle: a single action, absorbing states, one-entry
/// rows, rewards and values of magnitude 1e-300 and 1e300, values beyond the double range (the interface's NaN change),
/// temperatures 1e-8..1e8 with their limits (hard maximum; mean plus t log A), KL references with zeros, exact ties.
/// </summary>
public sealed class EdgeCaseContractTests : IDisposable
{
    private const int ShapeCases = 20;

    private static readonly double[] ExtremeTemperatures = [1e-8, 1.0, 1e8];

    private readonly BackendSet _backends = BackendSet.UnderTest();

    public void Dispose() => _backends.Dispose();

    /// <summary>This class's properties cover the CUDA backend where a device is present; skipped with the reason elsewhere.</summary>
    [CudaFact]
    public void Cuda_DevicePresent_IsAmongTheBackendsUnderTest() => _backends.AssertIncludesCuda();

    [Fact]
    public void EveryPrimitive_SingleAction_MatchesOracle()
        => PropertyCheck.Run(KernelCase.Arbitrary(KernelShape.SingleAction), c => OracleCheck.EveryPrimitive(_backends, c.Model, c.Temperature, c.ToString()), ShapeCases);

    [Fact]
    public void EveryPrimitive_AbsorbingStates_MatchesOracle()
        => PropertyCheck.Run(KernelCase.Arbitrary(KernelShape.Absorbing), c => OracleCheck.EveryPrimitive(_backends, c.Model, c.Temperature, c.ToString()), ShapeCases);

    [Fact]
    public void EveryPrimitive_OneEntryRows_MatchesOracle()
        => PropertyCheck.Run(KernelCase.Arbitrary(KernelShape.OneEntry), c => OracleCheck.EveryPrimitive(_backends, c.Model, c.Temperature, c.ToString()), ShapeCases);

    [Theory]
    [InlineData(1.0)]
    [InlineData(1e-300)]
    [InlineData(1e300)]
    [InlineData(-1e300)]
    public void EveryBackup_AbsorbingFixedPoint_ReturnsItExactly(double reward)
    {
        // Every state absorbing with reward r and gamma = 1/2: V* = 2r, and r + (1/2)(1 * 2r) is exact in any order, so
        // hard, deterministic and Gauss-Seidel backups return V* with change exactly 0; a policy backup is off only by
        // the rounding of sum_a pi_a (2r) with sum_a pi_a = 1 +- A u. 3000 states: two blocks.
        const int S = 3000, A = 3;
        var model = KernelModel.Create(S, A, 0.5, 1.0, seed: 4, (row, _) => [row / A]);
        model = model.With(rewardsSA: Enumerable.Repeat(reward, S * A).ToArray(), vS: Enumerable.Repeat(2 * reward, S).ToArray());
        string context = $"absorbing, r={reward}";

        foreach (var checkedRuns in new[]
        {
            OracleCheck.HardBackup(_backends, model.Problem, model.VS, context),
            OracleCheck.DeterministicPolicyBackup(_backends, model.Problem, model.ActionsS, model.VS, context),
            OracleCheck.GaussSeidelSweep(_backends, model.Problem, model.VS, context),
        })
            foreach (var run in checkedRuns.Runs)
            {
                Assert.True(run.Change == 0, $"{run.Backend}: change {run.Change} at the fixed point");
                Assert.All(run.VS, v => Assert.Equal(2 * reward, v));
            }
        foreach (var run in OracleCheck.PolicyBackup(_backends, model.Problem, model.PolicySA, model.VS, context).Runs)
            Assert.True(run.Change <= 2 * Tolerances.Gamma(A) * Math.Abs(2 * reward), $"{run.Backend}: policy change {run.Change}");
        foreach (double t in ExtremeTemperatures)
        {
            // Soft: V* + t log A; KL: V* + t log sum_a piRef(a|s) = V* up to rounding.
            foreach (var run in OracleCheck.SoftBackup(_backends, model.Problem, t, model.VS, context).Runs)
                Assert.True(double.IsFinite(run.Change), $"{run.Backend}: soft change {run.Change} at t={t}");
            foreach (var run in OracleCheck.KlBackup(_backends, model.Problem, t, model.LogReferenceSA, model.VS, context).Runs)
                Assert.True(double.IsFinite(run.Change), $"{run.Backend}: KL change {run.Change} at t={t}");
        }
    }

    [Theory]
    [InlineData(1e-300, 0.999)]
    [InlineData(1e300, 0.5)]
    [InlineData(1e300, 1.0)]
    public void EveryPrimitive_RewardsAndValuesOfExtremeMagnitude_MatchOracleAndStayFinite(double magnitude, double discount)
    {
        // |Q| <= |r| + gamma max|v| <= 2e300: representable, so no backup may report NaN.
        foreach (int S in new[] { 67, 5000 })
        {
            var c = new KernelCase(KernelShape.RowLengths, S, 2, discount, magnitude, Temperature: 1, Seed: 6);
            OracleCheck.EveryPrimitive(_backends, c.Model, ExtremeTemperatures, c.ToString());
            // The comparisons above require NaN exactly where the oracle has it; the oracle must have none.
            var v = new double[S];
            Assert.False(double.IsNaN(new ReferenceBackend().HardBackup(c.Problem, c.Model.VS, Memory<double>.Empty, v, Memory<int>.Empty)));
            Assert.All(v, x => Assert.True(double.IsFinite(x)));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(2047)]
    [InlineData(2048)]
    [InlineData(4095)]
    [InlineData(4999)]
    public void EveryBackup_OneStateBeyondDoubleRange_ReturnsNaNChange(int overflowing)
    {
        // State k is absorbing with reward and value 1.7e308: Q(k, a) = 1.7e308 + 0.9 * 1.7e308 is beyond double.MaxValue.
        // Every other state's Q is at most 1 + 0.9 * 1.7e308: finite. One non-finite state among 5000 must not be
        // hidden by the reduction over states, lanes, blocks or threads.
        const int S = 5000, A = 2;
        var model = KernelModel.Create(S, A, 0.9, 1.0, seed: 7, (row, random) =>
            row / A == overflowing ? [overflowing] : KernelModel.DistinctColumns(random, S, 1 + row % 5, first: false, last: false));
        var rewards = model.RewardsSA.ToArray();
        var v = model.VS.ToArray();
        rewards[overflowing * A] = rewards[overflowing * A + 1] = v[overflowing] = 1.7e308;
        AssertEveryBackupReturnsNaN(model.With(rewardsSA: rewards, vS: v), $"state {overflowing} overflowing");
    }

    [Fact]
    public void EveryBackup_EveryStateBeyondDoubleRange_ReturnsNaNChange()
    {
        // r = 1e308, V = 1e308, gamma = 0.99: Q = 1.99e308 in every state.
        var model = KernelModel.Create(3, 2, 0.99, 1.0, seed: 8, (row, _) => [(row / 2 + 1) % 3]);
        AssertEveryBackupReturnsNaN(model.With(rewardsSA: Enumerable.Repeat(1e308, 6).ToArray(), vS: [1e308, 1e308, 1e308]), "every state overflowing");
    }

    [Fact]
    public void EveryBackup_IteratedFromZeroWithRewardsNearMaxDouble_ReportsNaNOnTheSecondSweep()
    {
        // r = 1e308, gamma = 0.99, V0 = 0: the first sweep gives V = 1e308 (finite), the second 1e308 + 0.99e308 = inf.
        // (Gauss-Seidel reads values of its own sweep, so it may overflow in the first already; it must agree with the oracle.)
        var c = new KernelCase(KernelShape.RowLengths, 67, 2, 0.99, 1.0, 1.0, Seed: 9);
        var model = c.Model.With(rewardsSA: Enumerable.Repeat(1e308, 67 * 2).ToArray(), vS: new double[67]);
        var problem = model.Problem;
        int gaussSeidelRef = FirstNaNSweep(67, v => new ReferenceBackend().GaussSeidelSweep(problem, v, Memory<int>.Empty));
        foreach (var (name, backend) in _backends.Members)
        {
            Assert.True(FirstNaNSweep(67, v => backend.HardBackup(problem, v.ToArray(), Memory<double>.Empty, v, Memory<int>.Empty)) == 2, $"{name}: hard backup");
            Assert.True(FirstNaNSweep(67, v => backend.SoftBackup(problem, 1.0, v.ToArray(), Memory<double>.Empty, v)) == 2, $"{name}: soft backup");
            Assert.True(FirstNaNSweep(67, v => backend.KlBackup(problem, 1.0, model.LogReferenceSA, v.ToArray(), Memory<double>.Empty, v)) == 2, $"{name}: KL backup");
            Assert.True(FirstNaNSweep(67, v => backend.PolicyBackup(problem, model.PolicySA, v.ToArray(), v)) == 2, $"{name}: policy backup");
            Assert.True(FirstNaNSweep(67, v => backend.DeterministicPolicyBackup(problem, model.ActionsS, v.ToArray(), v)) == 2, $"{name}: deterministic policy backup");
            Assert.True(FirstNaNSweep(67, v => backend.GaussSeidelSweep(problem, v, Memory<int>.Empty)) == gaussSeidelRef, $"{name}: Gauss-Seidel, oracle overflows in sweep {gaussSeidelRef}");
        }
    }

    [Fact]
    public void HardSoftAndKlBackup_OneActionOverflowingToMinusInfinity_StayFiniteLikeTheOracle()
    {
        // Action 1 of every state moves to state 0, whose value is -1.7e308, with reward -1.7e308: its Q is -infinity.
        // Actions 0 and 2 move among states 1..3 with finite Q. max, and the log-sum-exp over a support that contains a
        // finite Q, are finite: the interface reports NaN only for a non-finite new value.
        const int S = 4, A = 3;
        var model = KernelModel.Create(S, A, 0.9, 1.0, seed: 10, (row, random) =>
            row % A == 1 ? [0] : KernelModel.DistinctColumns(random, S - 1, 1 + row % 3, first: true, last: true).Select(c => c + 1).ToArray());
        var rewards = model.RewardsSA.ToArray();
        for (int s = 0; s < S; s++) rewards[s * A + 1] = -1.7e308;
        var v = model.VS.ToArray();
        v[0] = -1.7e308;
        model = model.With(rewardsSA: rewards, vS: v);
        var uniform = Padded.Around(Enumerable.Repeat(-Math.Log(A), S * A).ToArray());
        string context = "one action at -infinity";

        var runs = OracleCheck.HardBackup(_backends, model.Problem, model.VS, context).Runs.ToList();
        Assert.True(double.IsNegativeInfinity(runs[0].QSA[1]), $"the oracle's Q(0, 1) is {runs[0].QSA[1]}, not -infinity");
        foreach (double t in ExtremeTemperatures)
        {
            runs.AddRange(OracleCheck.SoftBackup(_backends, model.Problem, t, model.VS, context).Runs);
            runs.AddRange(OracleCheck.KlBackup(_backends, model.Problem, t, uniform, model.VS, context).Runs);
        }
        foreach (var run in runs)
            Assert.True(double.IsFinite(run.Change), $"{run.Backend}: change {run.Change}");
    }

    [Theory]
    [InlineData(1e-8)]
    [InlineData(1e-4)]
    [InlineData(1.0)]
    [InlineData(1e4)]
    [InlineData(1e8)]
    public void SoftAndKlBackup_TemperatureFromOneEMinusEightToOneEEight_MatchOracleAndStayFinite(double t)
    {
        foreach (double magnitude in new[] { 1.0, 1e-300, 1e300 })
        {
            var c = new KernelCase(KernelShape.RowLengths, 67, 4, 0.9, magnitude, t, Seed: 11);
            var soft = OracleCheck.SoftBackup(_backends, c.Problem, t, c.Model.VS, c.ToString());
            var kl = OracleCheck.KlBackup(_backends, c.Problem, t, c.Model.LogReferenceSA, c.Model.VS, c.ToString());
            foreach (var run in soft.Runs.Concat(kl.Runs))
            {
                Assert.True(double.IsFinite(run.Change), $"{run.Backend} on {c}: change {run.Change}");
                Assert.All(run.VS, x => Assert.True(double.IsFinite(x)));
            }
        }
    }

    [Fact]
    public void SoftBackup_TemperatureOneEMinusEight_IsTheHardMaximumWithinTLogA()
    {
        const double t = 1e-8;
        var c = new KernelCase(KernelShape.RowLengths, 67, 4, 0.9, 1.0, t, Seed: 12);
        var hard = OracleCheck.HardBackup(_backends, c.Problem, c.Model.VS, c.ToString());
        var soft = OracleCheck.SoftBackup(_backends, c.Problem, t, c.Model.VS, c.ToString());
        foreach (var run in soft.Runs)
            for (int s = 0; s < c.StateCount; s++)
            {
                double excess = run.VS[s] - hard.Runs[0].VS[s], slack = soft.TolVS[s] + hard.TolVS[s];
                Assert.True(excess >= -slack && excess <= t * Math.Log(4) + slack,
                    $"{run.Backend}: soft V[{s}] - max Q = {excess}, expected in [0, t log A = {t * Math.Log(4)}]");
            }
    }

    [Fact]
    public void SoftBackup_TemperatureOneEEight_IsTheMeanOfQPlusTLogA()
    {
        // t log mean_a exp(Q_a/t) lies in [mean Q, mean Q + range(Q)^2/(8t)] (Jensen; Hoeffding's lemma).
        const double t = 1e8;
        const int A = 4;
        var c = new KernelCase(KernelShape.RowLengths, 67, A, 0.9, 1.0, t, Seed: 13);
        var soft = OracleCheck.SoftBackup(_backends, c.Problem, t, c.Model.VS, c.ToString());
        foreach (var run in soft.Runs)
            for (int s = 0; s < c.StateCount; s++)
            {
                var q = run.QSA.AsSpan(s * A, A);
                double mean = 0, lo = double.PositiveInfinity, hi = double.NegativeInfinity;
                foreach (double x in q) (mean, lo, hi) = (mean + x / A, Math.Min(lo, x), Math.Max(hi, x));
                double tLogA = t * Math.Log(A);
                double excess = run.VS[s] - tLogA - mean;
                double slack = soft.TolVS[s] + 2 * Tolerances.U * (Math.Abs(run.VS[s]) + tLogA) + Tolerances.Gamma(A) * Math.Max(Math.Abs(lo), Math.Abs(hi));
                Assert.True(excess >= -slack && excess <= (hi - lo) * (hi - lo) / (8 * t) + slack,
                    $"{run.Backend}: soft V[{s}] - t log A - mean Q = {excess}, expected in [0, {(hi - lo) * (hi - lo) / (8 * t)}] +- {slack}");
            }
    }

    [Fact]
    public void KlBackup_CoefficientOneEMinusEight_IsTheMaximumOverTheReferenceSupport()
    {
        // V = l log sum_a w_a exp(Q_a/l) lies in [Q_b + l log w_b, max_supp Q + l log sum_a w_a], b the best supported action.
        const double l = 1e-8;
        const int A = 4;
        var c = new KernelCase(KernelShape.RowLengths, 67, A, 0.9, 1.0, l, Seed: 14);
        var logReference = c.Model.LogReferenceSA.ToArray();
        var kl = OracleCheck.KlBackup(_backends, c.Problem, l, c.Model.LogReferenceSA, c.Model.VS, c.ToString());
        foreach (var run in kl.Runs)
            for (int s = 0; s < c.StateCount; s++)
            {
                var (best, logWeightOfBest, logTotal) = SupportMaximum(run.QSA.AsSpan(s * A, A), logReference.AsSpan(s * A, A));
                double slack = kl.TolVS[s] + l * Tolerances.Gamma(A);
                Assert.True(run.VS[s] >= best + l * logWeightOfBest - slack && run.VS[s] <= best + l * logTotal + slack,
                    $"{run.Backend}: KL V[{s}] = {run.VS[s]}, support maximum {best}, l log w = {l * logWeightOfBest}");
            }
    }

    [Fact]
    public void KlBackup_CoefficientOneEEight_IsTheReferenceWeightedMeanOfQ()
    {
        // With W = sum_a w_a: V - l log W lies in [sum_a (w_a/W) Q_a, that + range(Q)^2/(8l)] over the support.
        const double l = 1e8;
        const int A = 4;
        var c = new KernelCase(KernelShape.RowLengths, 67, A, 0.9, 1.0, l, Seed: 15);
        var logReference = c.Model.LogReferenceSA.ToArray();
        var kl = OracleCheck.KlBackup(_backends, c.Problem, l, c.Model.LogReferenceSA, c.Model.VS, c.ToString());
        foreach (var run in kl.Runs)
            for (int s = 0; s < c.StateCount; s++)
            {
                double total = 0, weighted = 0, magnitude = 0, lo = double.PositiveInfinity, hi = double.NegativeInfinity;
                for (int a = 0; a < A; a++)
                {
                    double w = Math.Exp(logReference[s * A + a]), q = run.QSA[s * A + a];
                    if (w == 0) continue;
                    (total, weighted, magnitude) = (total + w, weighted + w * q, magnitude + Math.Abs(w * q));
                    (lo, hi) = (Math.Min(lo, q), Math.Max(hi, q));
                }
                double mean = weighted / total;
                double excess = run.VS[s] - l * Math.Log(total) - mean;
                double slack = kl.TolVS[s] + 2 * Tolerances.U * Math.Abs(run.VS[s]) + 2 * Tolerances.Gamma(A + 2) * magnitude / total;
                Assert.True(excess >= -slack && excess <= (hi - lo) * (hi - lo) / (8 * l) + slack,
                    $"{run.Backend}: KL V[{s}] - l log W - weighted mean = {excess}, expected in [0, {(hi - lo) * (hi - lo) / (8 * l)}] +- {slack}");
            }
    }

    [Fact]
    public void KlBackup_ReferenceZeroOnTheLargestQ_StaysAtTheSupportMaximum()
    {
        // Each state's best action gets reference weight 0, the others 1/3: at l = 1e-8 the value is the best supported Q,
        // not the overall maximum, and the excluded action must not enter the max-subtraction either.
        const int A = 4;
        var c = new KernelCase(KernelShape.RowLengths, 67, A, 0.9, 1.0, 1.0, Seed: 16);
        var q = OracleCheck.HardBackup(_backends, c.Problem, c.Model.VS, c.ToString()).Runs[0];
        var logReference = new double[c.StateCount * A];
        for (int s = 0; s < c.StateCount; s++)
            for (int a = 0; a < A; a++)
                logReference[s * A + a] = a == q.ArgmaxS[s] ? double.NegativeInfinity : -Math.Log(3);
        var reference = Padded.Around(logReference);
        int gaps = 0;
        foreach (double l in ExtremeTemperatures)
        {
            var kl = OracleCheck.KlBackup(_backends, c.Problem, l, reference, c.Model.VS, c.ToString());
            if (l != 1e-8) continue;
            foreach (var run in kl.Runs)
                for (int s = 0; s < c.StateCount; s++)
                {
                    var (best, _, _) = SupportMaximum(q.QSA.AsSpan(s * A, A), logReference.AsSpan(s * A, A));
                    Assert.True(Math.Abs(run.VS[s] - best) <= l * Math.Log(3) + kl.TolVS[s], $"{run.Backend}: KL V[{s}] = {run.VS[s]}, best supported Q {best}, overall {q.VS[s]}");
                    if (q.VS[s] - best > 1e-6) gaps++;
                }
        }
        Assert.True(gaps > 0, "no state where the excluded action is clearly better");
    }

    [Theory]
    [InlineData(1e-8)]
    [InlineData(1.0)]
    [InlineData(1e8)]
    public void KlBackup_OnlyTheLowestQActionSupported_ValueIsItsQ(double l)
    {
        // piRef(a|s) = 1 on the worst action: V = l log exp(Q_worst / l) = Q_worst, however far below the others it is.
        const int A = 4;
        var c = new KernelCase(KernelShape.RowLengths, 67, A, 0.9, 1.0, l, Seed: 17);
        var q = OracleCheck.HardBackup(_backends, c.Problem, c.Model.VS, c.ToString()).Runs[0].QSA;
        var logReference = new double[c.StateCount * A];
        var worst = new double[c.StateCount];
        for (int s = 0; s < c.StateCount; s++)
        {
            int w = 0;
            for (int a = 1; a < A; a++)
                if (q[s * A + a] < q[s * A + w]) w = a;
            worst[s] = q[s * A + w];
            for (int a = 0; a < A; a++)
                logReference[s * A + a] = a == w ? 0 : double.NegativeInfinity;
        }
        var kl = OracleCheck.KlBackup(_backends, c.Problem, l, Padded.Around(logReference), c.Model.VS, c.ToString());
        foreach (var run in kl.Runs)
            for (int s = 0; s < c.StateCount; s++)
                Assert.True(Math.Abs(run.VS[s] - worst[s]) <= kl.TolVS[s], $"{run.Backend}: KL V[{s}] = {run.VS[s]}, supported Q {worst[s]}");
    }

    [Fact]
    public void HardBackupAndSweep_ExactTiesAcrossThreeBlocks_GoToTheLowestTiedAction()
    {
        // Every action of state s moves to the same state with probability 1, so Q(s,a) = r(s,a) + gamma v(next) ties
        // exactly (in any order of evaluation) between the actions of equal reward. The tied best actions cycle
        // through {0,1}, {1,3}, {2,3}, {1,2,3}, {0,1,2,3} and {3} (no tie); the others have a lower reward.
        const int S = 5000, A = 4;
        int[][] tied = [[0, 1], [1, 3], [2, 3], [1, 2, 3], [0, 1, 2, 3], [3]];
        var model = KernelModel.Create(S, A, 0.9, 1.0, seed: 18, (row, _) => [(int)((row / A * 7919L + 1) % S)]);
        var rewards = new double[S * A];
        for (int s = 0; s < S; s++)
            for (int a = 0; a < A; a++)
                rewards[s * A + a] = tied[s % tied.Length].Contains(a) ? 1.0 : 0.5;
        model = model.With(rewardsSA: rewards);
        var problem = model.Problem;

        OracleCheck.HardBackup(_backends, problem, model.VS, "exact ties");
        OracleCheck.GaussSeidelSweep(_backends, problem, model.VS, "exact ties");
        foreach (var (name, backend) in _backends.Members)
        {
            foreach (bool withQ in new[] { true, false })
            {
                var argmax = Enumerable.Repeat(-1, S).ToArray();
                backend.HardBackup(problem, model.VS, withQ ? new double[S * A] : Memory<double>.Empty, new double[S], argmax);
                for (int s = 0; s < S; s++)
                    Assert.True(argmax[s] == tied[s % tied.Length][0], $"{name} hard backup{(withQ ? "" : " without Q")}: argmax[{s}] = {argmax[s]}, tied best actions {string.Join(",", tied[s % tied.Length])}");
            }
            var sweepArgmax = Enumerable.Repeat(-1, S).ToArray();
            backend.GaussSeidelSweep(problem, model.VS.ToArray(), sweepArgmax);
            for (int s = 0; s < S; s++)
                Assert.True(sweepArgmax[s] == tied[s % tied.Length][0], $"{name} Gauss-Seidel: argmax[{s}] = {sweepArgmax[s]}, tied best actions {string.Join(",", tied[s % tied.Length])}");
        }
    }

    // Every backup primitive, in every variant of its optional outputs and at temperatures 1e-8, 1, 1e8, on every backend.
    private void AssertEveryBackupReturnsNaN(KernelModel model, string context)
    {
        var problem = model.Problem;
        int S = model.StateCount, A = model.ActionCount;
        var v = model.VS;
        var failures = new List<string>();
        foreach (var (name, backend) in _backends.Members)
        {
            void Expect(string primitive, double change)
            {
                if (!double.IsNaN(change)) failures.Add($"{name} {primitive}: change {change}, expected NaN");
            }
            Expect("HardBackup", backend.HardBackup(problem, v, new double[S * A], new double[S], new int[S]));
            Expect("HardBackup without Q or argmax", backend.HardBackup(problem, v, Memory<double>.Empty, new double[S], Memory<int>.Empty));
            foreach (double t in ExtremeTemperatures)
            {
                Expect($"SoftBackup(t={t})", backend.SoftBackup(problem, t, v, new double[S * A], new double[S]));
                Expect($"SoftBackup(t={t}) without Q", backend.SoftBackup(problem, t, v, Memory<double>.Empty, new double[S]));
                Expect($"KlBackup(l={t})", backend.KlBackup(problem, t, model.LogReferenceSA, v, new double[S * A], new double[S]));
                Expect($"KlBackup(l={t}) without Q", backend.KlBackup(problem, t, model.LogReferenceSA, v, Memory<double>.Empty, new double[S]));
            }
            Expect("PolicyBackup", backend.PolicyBackup(problem, model.PolicySA, v, new double[S]));
            Expect("DeterministicPolicyBackup", backend.DeterministicPolicyBackup(problem, model.ActionsS, v, new double[S]));
            Expect("GaussSeidelSweep", backend.GaussSeidelSweep(problem, v.ToArray(), new int[S]));
            Expect("GaussSeidelSweep without argmax", backend.GaussSeidelSweep(problem, v.ToArray(), Memory<int>.Empty));
        }
        Assert.True(failures.Count == 0, $"{context}:\n{string.Join("\n", failures)}");
    }

    // Applies a sweep to V (in place) from V = 0 until it returns NaN; the 1-based sweep, or 0 if none within 4.
    private static int FirstNaNSweep(int stateCount, Func<double[], double> sweep)
    {
        var v = new double[stateCount];
        for (int i = 1; i <= 4; i++)
            if (double.IsNaN(sweep(v)))
                return i;
        return 0;
    }

    // The largest Q over the support, the log weight of its first maximiser, and log sum_a w_a.
    private static (double Best, double LogWeightOfBest, double LogTotal) SupportMaximum(ReadOnlySpan<double> qA, ReadOnlySpan<double> logWeightsA)
    {
        double best = double.NegativeInfinity, logWeight = 0, total = 0;
        for (int a = 0; a < qA.Length; a++)
        {
            if (double.IsNegativeInfinity(logWeightsA[a])) continue;
            total += Math.Exp(logWeightsA[a]);
            if (qA[a] > best) (best, logWeight) = (qA[a], logWeightsA[a]);
        }
        return (best, logWeight, Math.Log(total));
    }
}
