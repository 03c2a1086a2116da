using System.Globalization;
using TabularRL.Theory.Data;
using TabularRL.Theory.Experiments;

namespace TabularRL.Theory.DemoReg;

/// <summary>BC-RATE: E KL_traj(pi_E || pi_BC) against N_E for a deterministic expert; the claim is a 1/N_E rate.</summary>
/// <remarks>
/// For a deterministic expert and a state of visit probability d_h(s), KL(pi_E,h(s) || pi_BC,h(s)) = log((N + A)/(N + 1))
/// with N ~ Bin(N_E, d_h(s)), whose mean is (A - 1)/(N_E d_h(s)) + O(N_E^-2); weighted by d_h(s) and summed, E KL_traj is
/// about H S (A - 1)/N_E, the SAH/N_E order of the paper's behaviour-cloning bound (Tiapkin et al. 2023, arXiv 2310.17303,
/// up to its log factors). Each replicate draws a fresh model and optimal expert (so the points are independent, as
/// the bootstrap assumes) and N_E demonstrations; KL_traj is exact given the demonstrations.
/// Default: S = 4, A = 3, H = 4, transition weights in [0.2, 1], N_E = 25..800 (doubling), 60 replicates.
/// Full: N_E = 25..6400, 400 replicates.
/// </remarks>
public sealed class BcRateExperiment : IExperiment
{
    /// <summary>Claimed slope of log E KL_traj in log N_E.</summary>
    public const double TheorySlope = -1;

    /// <summary>The acceptance band of the fitted slope.</summary>
    public const double LowerSlope = -1.2, UpperSlope = -0.8;

    /// <inheritdoc/>
    public string Id => "BC-RATE";

    /// <inheritdoc/>
    public string Source => "Tiapkin et al. 2023 (arXiv 2310.17303), behaviour cloning: KL_traj(pi_E || pi_BC) = O~(SAH/N_E)";

    /// <inheritdoc/>
    public string Description => "E KL_traj(pi_E || pi_BC) of the smoothed tabular clone of a deterministic expert against N_E";

    /// <inheritdoc/>
    public ExperimentReport Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        const int S = 4, A = 3, H = 4;
        const double minWeight = 0.2;
        int[] sizes = settings.Full ? [25, 50, 100, 200, 400, 800, 1600, 3200, 6400] : [25, 50, 100, 200, 400, 800];
        int replicates = settings.Full ? 400 : 60;
        var random = new Random(settings.Seed);
        var xs = new List<double>();
        var values = new List<IReadOnlyList<double>>();
        foreach (int n in sizes)
        {
            var kls = new double[replicates];
            for (int i = 0; i < replicates; i++)
            {
                var mdp = DemoRegInstances.Model(random, S, A, H, minWeight);
                var expert = DemoRegInstances.OptimalExpert(mdp, settings.Backend);
                var demonstrations = TrajectorySampler.Sample(mdp, expert, n, random);
                var clone = BehaviourCloning.Tabular(demonstrations, H, S, A);
                kls[i] = TrajectoryKl.Compute(mdp, expert, clone);
            }
            xs.Add(n);
            values.Add(kls);
        }
        var fit = SlopeFit.LogLog(xs, values, random);
        var points = xs.Select((x, j) => RatePoint.Of(x, values[j])).ToArray();
        bool passed = fit.Slope >= LowerSlope && fit.Slope <= UpperSlope;
        string observed = string.Create(CultureInfo.InvariantCulture, $"slope {fit} (theory {TheorySlope})");
        string detail = string.Create(CultureInfo.InvariantCulture,
            $"S={S}, A={A}, H={H}, min transition weight {minWeight}; H S (A-1)/N_E at N_E={sizes[^1]} is {H * S * (A - 1.0) / sizes[^1]:G3}, measured {points[^1].Mean:G3}");
        return new ExperimentReport(Id, "E KL_traj(pi_E || pi_BC)", "N_E (expert trajectories)", points, fit, observed,
            string.Create(CultureInfo.InvariantCulture, $"slope in [{LowerSlope}, {UpperSlope}]"), passed, sizes.Length * replicates, detail);
    }
}
