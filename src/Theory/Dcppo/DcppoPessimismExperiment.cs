using System.Diagnostics;
using System.Globalization;
using TabularRL.Theory.Data;
using TabularRL.Theory.Experiments;

namespace TabularRL.Theory.Dcppo;

/// <summary>DCPPO-PESSIMISM: with data that never contain an action whose feature leaves the covered span, pessimism (beta &gt; 0) beats beta = 0.</summary>
/// <remarks>
/// Claim (THEORY.md sections 5 and 8): pessimism helps when the data miss actions. Instances: <see cref="UncoveredDirectionMdp"/>
/// with S = 12, A = 4 (the human chooses among 3), d = 4, H = 3, gamma = 0.9, bases on up to 4 states; the human is the
/// logit agent on its 3 actions; a0 = 0 with known rewards; l1 = l = 1; beta = 1 against beta = 0 on the same data.
/// "Beats" means: at every n, the mean over replicates of the paired difference
/// D = subopt(beta = 0) - subopt(beta = 1) is positive with 95% confidence, i.e. the lower end of the percentile
/// bootstrap interval of mean D (2000 resamples) is above 0. Each replicate draws a fresh instance and fresh episodes.
/// </remarks>
public sealed class DcppoPessimismExperiment : IExperiment
{
    private const int States = 12, Actions = 4, Dimension = 4, Horizon = 3, Support = 4;
    private const double Discount = 0.9;

    /// <summary>The constants of the pessimistic run; the baseline is the same with beta = 0.</summary>
    public static DcppoOptions Options { get; } = new() { ChoiceRidge = 1, BellmanRidge = 1, Beta = 1 };

    /// <inheritdoc/>
    public string Id => "DCPPO-PESSIMISM";

    /// <inheritdoc/>
    public string Source => "Li, Yang and Wang 2023 (arXiv 2305.18438) and Jin, Yang and Wang 2021: pessimism guards against uncovered directions";

    /// <inheritdoc/>
    public string Description => "paired suboptimality of DCPPO with beta = 0 minus beta = 1 when the human never takes an action along an uncovered feature direction";

    /// <summary>The sample sizes and replicates of a run.</summary>
    public static (int[] Sizes, int Replicates) Design(bool full) => full ? ([100, 400, 1600, 6400], 200) : ([100, 400, 1600], 40);

    /// <inheritdoc/>
    public ExperimentReport Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        var (sizes, replicates) = Design(settings.Full);
        var master = new Random(settings.Seed);
        var withPessimism = Enumerable.Range(0, sizes.Length).Select(_ => new double[replicates]).ToArray();
        var without = Enumerable.Range(0, sizes.Length).Select(_ => new double[replicates]).ToArray();
        var newActionTaken = new int[sizes.Length];
        var plain = Options with { Beta = 0 };
        for (int r = 0; r < replicates; r++)
        {
            var truth = UncoveredDirectionMdp.Generate(new Random(master.Next()), States, Actions, Dimension, Horizon, Discount, Support);
            var tabular = truth.ToTabular();
            var human = DynamicChoiceModel.Solve(truth, Actions - 1).Policy;
            var score = new Suboptimality(tabular, settings.Backend);
            var problem = DcppoProblem.For(truth, referenceAction: 0, choiceSetSize: Actions - 1);
            for (int j = 0; j < sizes.Length; j++)
            {
                var data = TrajectorySampler.Sample(tabular, human, sizes[j], new Random(master.Next()));
                withPessimism[j][r] = score.Of(Dcppo.Run(problem, data, Options).Plan.ToPolicy());
                var greedy = Dcppo.Run(problem, data, plain).Plan;
                without[j][r] = score.Of(greedy.ToPolicy());
                if (greedy.ActionsHS.Contains(Actions - 1)) newActionTaken[j]++;
            }
        }
        var bootstrap = new Random(master.Next());
        var points = new RatePoint[sizes.Length];
        var lines = new List<string>();
        bool passed = true;
        double worstLower = double.PositiveInfinity;
        for (int j = 0; j < sizes.Length; j++)
        {
            var differences = without[j].Zip(withPessimism[j], (a, b) => a - b).ToArray();
            points[j] = RatePoint.Of(sizes[j], differences);
            var (lower, upper) = MeanInterval(differences, bootstrap);
            passed &= lower > 0;
            worstLower = Math.Min(worstLower, lower);
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"n = {sizes[j]}: subopt beta=1 {withPessimism[j].Average():G3}, beta=0 {without[j].Average():G3}, D {differences.Average():G3} [{lower:G3}, {upper:G3}], beta=0 plans the new action in {newActionTaken[j]}/{replicates}"));
        }
        string observed = string.Create(CultureInfo.InvariantCulture, $"smallest lower 95% bound of mean D over n: {worstLower:G3}");
        return new ExperimentReport(Id, "paired difference D = subopt(beta = 0) - subopt(beta = 1)", "n (human episodes)", points, null,
            observed, "mean D > 0 at every n with 95% confidence (lower end of the paired bootstrap interval > 0)", passed,
            replicates * sizes.Length, string.Join("; ", lines) + string.Create(CultureInfo.InvariantCulture, $"; {clock.Elapsed.TotalSeconds:0.0} s"));
    }

    /// <summary>Percentile bootstrap 95% interval of the mean of <paramref name="values"/>.</summary>
    public static (double Lower, double Upper) MeanInterval(IReadOnlyList<double> values, Random random, int resamples = 2000)
    {
        var means = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            double total = 0;
            for (int i = 0; i < values.Count; i++) total += values[random.Next(values.Count)];
            means[b] = total / values.Count;
        }
        Array.Sort(means);
        return (means[(int)(0.025 * (resamples - 1))], means[(int)Math.Ceiling(0.975 * (resamples - 1))]);
    }
}
