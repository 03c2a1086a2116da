using System.Globalization;
using TabularRL.Engine.Model;
using TabularRL.Theory.Data;
using TabularRL.Theory.Experiments;

namespace TabularRL.Theory.DemoReg;

/// <summary>DEMOREG-DECOMPOSITION: V* - V^{pi_lambda} &lt;= eps_E + lambda KL_traj(pi_E || pi_BC) on every instance (exact planning, eps_RL = 0).</summary>
/// <remarks>
/// Instances: S in [2, 6], A in [2, 4], H in [2, 5], transition weights in [0, 1] with some impossible transitions;
/// experts optimal (eps_E = 0), soft-optimal at temperature 0.05 or 0.5, or optimal mixed with uniform at eta = 0.3
/// (eps_E &gt; 0); N_E in {1, 4, 16, 64, 256}; lambda in {0.01, 0.1, 1, 10}. Every term is exact (backward induction,
/// exact evaluation, forward state distributions), so the only tolerance is rounding: 1e-9 (1 + H).
/// The points report, per lambda, the mean slack eps_E + lambda KL_traj - (V* - V^{pi_lambda}).
/// Default: 240 instances; full: 2400.
/// </remarks>
public sealed class DecompositionExperiment : IExperiment
{
    private static readonly double[] Lambdas = [0.01, 0.1, 1, 10];
    private static readonly int[] DemonstrationCounts = [1, 4, 16, 64, 256];

    /// <inheritdoc/>
    public string Id => "DEMOREG-DECOMPOSITION";

    /// <inheritdoc/>
    public string Source => "Tiapkin et al. 2023 (arXiv 2310.17303): V* - V^pi_hat <= eps_E + eps_RL + lambda KL_traj(pi_E || pi_BC)";

    /// <inheritdoc/>
    public string Description => "V* - V^{pi_lambda} against eps_E + lambda KL_traj over random models, experts, N_E and lambda";

    /// <inheritdoc/>
    public ExperimentReport Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        int instances = settings.Full ? 2400 : 240;
        var random = new Random(settings.Seed);
        var slacks = Lambdas.Select(_ => new List<double>()).ToArray();
        double worst = double.PositiveInfinity;
        string worstLabel = "";
        int failures = 0;
        for (int i = 0; i < instances; i++)
        {
            int S = random.Next(2, 7), A = random.Next(2, 5), H = random.Next(2, 6);
            var mdp = DemoRegInstances.Model(random, S, A, H, minWeight: 0);
            int kind = random.Next(4);
            var (expert, expertName) = kind switch
            {
                0 => (DemoRegInstances.OptimalExpert(mdp, settings.Backend), "optimal"),
                1 => (DemoRegInstances.SoftExpert(mdp, 0.05, settings.Backend), "soft(0.05)"),
                2 => (DemoRegInstances.SoftExpert(mdp, 0.5, settings.Backend), "soft(0.5)"),
                _ => (DemoRegInstances.NoisyExpert(mdp, 0.3, settings.Backend), "noisy(0.3)"),
            };
            int n = DemonstrationCounts[random.Next(DemonstrationCounts.Length)];
            int li = random.Next(Lambdas.Length);
            var demonstrations = TrajectorySampler.Sample(mdp, expert, n, random);
            var clone = BehaviourCloning.Tabular(demonstrations, H, S, A);
            var terms = Decomposition.ForExactPlanning(mdp, expert, clone, Lambdas[li], settings.Backend);
            double tolerance = 1e-9 * (1 + H);
            slacks[li].Add(terms.Slack);
            if (terms.Slack < -tolerance) failures++;
            if (terms.Slack < worst)
            {
                worst = terms.Slack;
                worstLabel = string.Create(CultureInfo.InvariantCulture,
                    $"instance {i}: S={S}, A={A}, H={H}, expert {expertName}, N_E={n}, lambda={Lambdas[li]}: V*-V^pi={terms.Suboptimality:G6}, eps_E={terms.ExpertGap:G6}, lambda KL={terms.Lambda * terms.ExpertKl:G6}");
            }
        }
        var points = Lambdas.Select((l, j) => slacks[j].Count > 0 ? RatePoint.Of(l, slacks[j]) : null).Where(p => p is not null).Cast<RatePoint>().ToArray();
        string observed = string.Create(CultureInfo.InvariantCulture, $"worst slack {worst:G6}; {failures} of {instances} instances violate the bound");
        return new ExperimentReport(Id, "slack eps_E + lambda KL_traj - (V* - V^{pi_lambda})", "lambda", points, null, observed,
            "slack >= -1e-9 (1 + H) on every instance", failures == 0, instances, "worst: " + worstLabel);
    }
}
