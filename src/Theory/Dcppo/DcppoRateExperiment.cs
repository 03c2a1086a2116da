using System.Diagnostics;
using TabularRL.Theory.Data;
using TabularRL.Theory.Experiments;
using TabularRL.Theory.Linear;

namespace TabularRL.Theory.Dcppo;

/// <summary>DCPPO-RATE: the suboptimality of DCPPO against the number n of the human's episodes, on random linear MDPs with good coverage.</summary>
/// <remarks>
/// Claim (THEORY.md sections 5 and 8; Li, Yang and Wang 2023): under coverage of the optimal policy the suboptimality
/// of DCPPO decays like n^{-1/2} (times an e^H factor and polynomials in d and H). Acceptance criterion of the issue:
/// the log-log slope of the mean suboptimality lies in [-0.8, -0.3].
/// Instances: each replicate draws one random linear MDP (<see cref="RandomLinearMdp"/>) with S = 20, A = 4, d = 5,
/// H = 3, gamma = 0.9, base distributions on up to 5 states, rewards in [0, 1]; the human is the logit (DDC) agent
/// with every action, so every action has probability at least e^{-(H range)}/A at every state and the data cover the
/// optimal policy (the single-policy coverage of the theorem holds with room). Reference action a0 = 0 with its
/// true rewards known (the normalisation of <see cref="DcppoProblem"/>). Ridges l1 = l = 1, beta = 1. The same MDP is
/// used at every n of a replicate, with fresh episodes per n. Suboptimality V*(mu0) - V^pi(mu0) is exact.
/// Measured (seed 1): default n = 50..1600, slope -0.66 [-0.74, -0.59]; full n = 50..12800 with 100 replicates, slope
/// -0.73 [-0.76, -0.70], but the local slope steepens past n = 3200 (about -1.1 over 3200..12800): the claimed
/// n^{-1/2} describes the pre-asymptotic range here, and the fixed-instance decay approaches the faster margin rate.
/// </remarks>
public sealed class DcppoRateExperiment : IExperiment
{
    private const int States = 20, Actions = 4, Dimension = 5, Horizon = 3, Support = 5;
    private const double Discount = 0.9;

    /// <summary>The DCPPO constants used.</summary>
    public static DcppoOptions Options { get; } = new() { ChoiceRidge = 1, BellmanRidge = 1, Beta = 1 };

    /// <inheritdoc/>
    public string Id => "DCPPO-RATE";

    /// <inheritdoc/>
    public string Source => "Li, Yang and Wang 2023 (arXiv 2305.18438), DCPPO suboptimality O(n^-1/2) under optimal-policy coverage";

    /// <inheritdoc/>
    public string Description => "V*(mu0) - V^pi_DCPPO(mu0) against n human episodes on random linear MDPs (S=20, A=4, d=5, H=3)";

    /// <summary>The sample sizes and replicates of a run.</summary>
    public static (int[] Sizes, int Replicates) Design(bool full)
        => full ? ([50, 100, 200, 400, 800, 1600, 3200, 6400, 12800], 100) : ([50, 100, 200, 400, 800, 1600], 30);

    /// <inheritdoc/>
    public ExperimentReport Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        var (sizes, replicates) = Design(settings.Full);
        var master = new Random(settings.Seed);
        var dcppo = Enumerable.Range(0, sizes.Length).Select(_ => new double[replicates]).ToArray();
        var plain = Enumerable.Range(0, sizes.Length).Select(_ => new double[replicates]).ToArray();
        var oracle = Enumerable.Range(0, sizes.Length).Select(_ => new double[replicates]).ToArray();
        var noPessimism = Options with { Beta = 0 };
        for (int r = 0; r < replicates; r++)
        {
            var instanceRandom = new Random(master.Next());
            var truth = RandomLinearMdp.Generate(instanceRandom, States, Actions, Dimension, Horizon, Discount, Support);
            var tabular = truth.ToTabular();
            var human = DynamicChoiceModel.Solve(truth).Policy;
            var score = new Suboptimality(tabular, settings.Backend);
            var problem = DcppoProblem.For(truth);
            for (int j = 0; j < sizes.Length; j++)
            {
                var data = TrajectorySampler.Sample(tabular, human, sizes[j], new Random(master.Next()));
                dcppo[j][r] = score.Of(Dcppo.Run(problem, data, Options).Plan.ToPolicy());
                plain[j][r] = score.Of(Dcppo.Run(problem, data, noPessimism).Plan.ToPolicy());
                oracle[j][r] = score.Of(Dcppo.Oracle(problem, data, truth.RewardsHSA, Options).ToPolicy());
            }
        }
        var xs = sizes.Select(n => (double)n).ToArray();
        var points = xs.Select((x, j) => RatePoint.Of(x, dcppo[j])).ToArray();
        var fit = SlopeFit.LogLog(xs, dcppo, new Random(master.Next()));
        var plainFit = SlopeFit.LogLog(xs, plain, new Random(master.Next()));
        // The n^{-1/2} of the theorem is a worst case over instances; on a fixed family with a gap between the best and
        // the second action the plug-in policy is eventually exact and the decay steepens (towards n^{-1}, the margin
        // rate). The slope over the largest three sizes shows where the curve is heading; it is reported, not judged.
        var tail = SlopeFit.LogLog(xs[^3..], dcppo[^3..], new Random(master.Next()));
        bool passed = fit.Slope >= -0.8 && fit.Slope <= -0.3;
        string Means(double[][] values) => string.Join(", ", values.Select(v => v.Average().ToString("G3", System.Globalization.CultureInfo.InvariantCulture)));
        string detail = FormattableString.Invariant(
            $"slope over the largest three n {tail}; beta = {Options.Beta}: means {Means(dcppo)}; beta = 0: means {Means(plain)}, slope {plainFit}; oracle (true reward, beta = {Options.Beta}): means {Means(oracle)}; {clock.Elapsed.TotalSeconds:0.0} s");
        return new ExperimentReport(Id, "suboptimality V*(mu0) - V^pi(mu0)", "n (human episodes)", points, fit,
            $"slope {fit}", "log-log slope of the mean suboptimality in [-0.8, -0.3] (claimed order n^-1/2)", passed, replicates * sizes.Length, detail);
    }
}
