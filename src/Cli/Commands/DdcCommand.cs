using System.CommandLine;
using TabularRL.Cli.Output;
using TabularRL.Engine.Io;
using TabularRL.Theory.Ddc;

namespace TabularRL.Cli.Commands;

/// <summary><c>tabrl ddc fit</c>: nested fixed-point estimation of Rust's (1987) bus-engine model (THEORY.md section 7).</summary>
internal static class DdcCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("ddc", "Dynamic discrete choice on real data: Rust's (1987) bus-engine replacement model.");
        command.Subcommands.Add(CreateFit(console));
        return command;
    }

    private static Command CreateFit(CliConsole console)
    {
        var data = new Option<string>("--data") { Description = "Folder with Rust's .asc files (data/rust1987 in the repository).", Required = true };
        var groups = new Option<string>("--groups")
        {
            Description = "Comma-separated bus groups 1..8 (Rust 1987, Table I). Default 4, the group of Table IX's published estimates.",
            DefaultValueFactory = _ => "4",
        };
        var discount = new Option<double>("--discount") { Description = "beta in [0, 1), fixed, not estimated (0: the myopic model of Table IX).", DefaultValueFactory = _ => 0.9999 };
        var bins = new Option<int>("--bins") { Description = "N >= 2 mileage bins covering 0-450,000 miles (90: 5,000-mile bins); the last bin absorbs.", DefaultValueFactory = _ => 90 };
        var cost = new Option<string>("--cost")
        {
            Description = "Maintenance cost c(x), x the bin: linear 1e-3 t11 x; quadratic 1e-5 (t11 x + t12 x^2); cubic 1e-8 (t11 x + t12 x^2 + t13 x^3); sqrt 1e-2 t11 sqrt(x); hyperbolic 0.1 t11/(N+1-x).",
            DefaultValueFactory = _ => "linear",
        };
        var command = new Command("fit", "Two-stage nested fixed-point maximum likelihood: increment frequencies, then (RC, cost parameters) with EV solved to 1e-12 at every trial.")
        {
            data, groups, discount, bins, cost,
        };
        var common = CommonOptions.AddTo(command, computes: false);
        // --backend as on every computing command; the fixed point is a dense 90 x 90 Newton solve that runs on the CPU whatever it says.
        command.Options.Add(common.Backend);
        command.SetAction(parsed =>
        {
            string? outPath = common.OutPath(parsed);
            var groupList = ParseGroups(parsed.GetValue(groups)!);
            double beta = parsed.GetValue(discount);
            if (!(beta >= 0 && beta < 1)) throw new UsageException($"--discount: {beta} is not in [0, 1)");
            int n = parsed.GetValue(bins);
            if (n < 2) throw new UsageException($"--bins: {n} is not >= 2");
            string costName = parsed.GetValue(cost)!;
            if (!MaintenanceCost.Names.Contains(costName))
                throw new UsageException($"--cost: '{costName}' is not one of {string.Join(", ", MaintenanceCost.Names)}");
            using (common.CreateBackend(parsed, console)) { }

            var panel = BusPanel.Load(parsed.GetValue(data)!, groupList, n);
            var fit = NestedFixedPoint.Fit(panel, beta, MaintenanceCost.Parse(costName));
            var fields = Fields(fit, groupList, costName);
            if (outPath is not null)
                ArrayFiles.Write(outPath, fields.Where(f => f.Value is not string).Select(f => new KeyValuePair<string, NdArray>(f.Key, f.Value switch
                {
                    double[] xs => NdArray.FromDoubles(xs, xs.Length),
                    bool b => NdArray.Scalar(b ? 1L : 0L),
                    long l => NdArray.Scalar(l),
                    int i => NdArray.Scalar((long)i),
                    var x => NdArray.Scalar((double)x),
                })), "result");
            if (common.Json(parsed))
            {
                Printer.JsonObject(console, fields);
                return ExitCodes.Success;
            }
            var names = new[] { "RC" }.Concat(fit.CostParameters.Select((_, k) => $"theta1{k + 1}")).ToArray();
            var estimates = new[] { fit.ReplacementCost }.Concat(fit.CostParameters).ToArray();
            Printer.Pairs(console,
            [
                ("data", $"groups {string.Join(",", groupList)}: {panel.Buses} buses, {panel.Observations} observations, {panel.Replacements} replacements"),
                ("model", $"{costName} cost, beta {Printer.Number(beta)}, {n} bins of {Printer.Number(panel.BinWidth)} miles"),
                .. names.Select((name, i) => (name, $"{Printer.Fixed(estimates[i], 4)}  (s.e. {Printer.Fixed(fit.OuterProductStandardErrors[i], 4)} BHHH; Hessian {Printer.Fixed(fit.StandardErrors[i], 4)} full, {Printer.Fixed(fit.ChoiceStandardErrors[i], 4)} partial)")),
                .. fit.TransitionProbabilities.Select((q, j) => ($"theta3{j}", $"{Printer.Fixed(q, 4)}  (s.e. {Printer.Fixed(fit.TransitionStandardErrors[j], 4)}; {panel.IncrementCounts[j]} increments)")),
                ("log-likelihood", $"{Printer.Fixed(fit.LogLikelihood, 3)} = transition {Printer.Fixed(fit.TransitionLogLikelihood, 3)} + choice {Printer.Fixed(fit.ChoiceLogLikelihood, 3)}"),
                ("converged", fit.Converged ? $"yes, {fit.Iterations} iterations, |gradient| {Printer.Small(fit.GradientNorm)}, EV residual {Printer.Small(fit.Solution.Residual)}"
                    : $"NO after {fit.Iterations} iterations (|gradient| {Printer.Small(fit.GradientNorm)}): the estimates are not a maximum"),
            ]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static List<(string Key, object Value)> Fields(DdcFit fit, IReadOnlyList<int> groups, string cost) =>
    [
        ("replacement_cost", fit.ReplacementCost),
        ("cost_parameters", fit.CostParameters),
        ("transition_probabilities", fit.TransitionProbabilities),
        ("log_likelihood", fit.LogLikelihood),
        ("choice_log_likelihood", fit.ChoiceLogLikelihood),
        ("transition_log_likelihood", fit.TransitionLogLikelihood),
        // Rust's published s.e. (Table IX: RC 1.582, theta11 0.639) are the BHHH ones; the Hessian ones come next.
        ("standard_errors", fit.OuterProductStandardErrors),
        ("hessian_standard_errors", fit.StandardErrors),
        ("choice_hessian_standard_errors", fit.ChoiceStandardErrors),
        ("transition_standard_errors", fit.TransitionStandardErrors),
        ("observations", fit.Panel.Observations),
        ("replacements", fit.Panel.Replacements),
        ("buses", fit.Panel.Buses),
        ("increment_counts", fit.Panel.IncrementCounts.ToArray().Select(c => (double)c).ToArray()),
        ("groups", groups.Select(g => (double)g).ToArray()),
        ("discount", fit.Model.Discount),
        ("bins", fit.Model.Bins),
        ("cost", cost),
        ("iterations", fit.Iterations),
        ("converged", fit.Converged),
        ("gradient_norm", fit.GradientNorm),
        ("fixed_point_residual", fit.Solution.Residual),
        // Per mileage bin: the fitted P(replace | x), and the data's visits and replacements to set against it.
        ("replacement_probability", fit.Solution.ReplaceProbabilities.ToArray()),
        ("state_observations", Enumerable.Range(0, fit.Panel.Bins).Select(x => (double)(fit.Panel.ChoiceCounts[2 * x] + fit.Panel.ChoiceCounts[2 * x + 1])).ToArray()),
        ("state_replacements", Enumerable.Range(0, fit.Panel.Bins).Select(x => (double)fit.Panel.ChoiceCounts[2 * x + 1]).ToArray()),
    ];

    private static List<int> ParseGroups(string text)
    {
        var groups = new List<int>();
        foreach (string item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(item, out int g) || g < 1 || g > BusData.GroupCount)
                throw new UsageException($"--groups: '{item}' is not a bus group; the groups are 1..{BusData.GroupCount}");
            if (groups.Contains(g)) throw new UsageException($"--groups: group {g} is listed twice");
            groups.Add(g);
        }
        return groups;
    }
}
