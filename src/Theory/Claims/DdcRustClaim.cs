using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Theory.Ddc;

namespace TabularRL.Theory.Claims;

/// <summary>
/// DDC-RUST: (a) the two-stage NFXP fit of group 4 (beta = 0.9999, 90 bins, linear cost) reproduces Rust (1987), Table IX
/// to 1e-3: RC = 10.0750, theta11 = 2.2930, theta30 = .3919, theta31 = .5953, log-likelihood -3304.155; (b) reward
/// recovery: a panel simulated from the fitted model (37 buses x 117 months, as group 4) and refitted gives RC and theta11
/// within 3 (BHHH) standard errors of the truth; and the DDC identity Q(x,1) - Q(x,0) = log P(1|x) - log P(0|x) holds
/// with Q computed independently by the engine's exact policy evaluation.
/// </summary>
/// <remarks>
/// Identity check: for the logit model the choice probabilities are optimal for the entropy-regularised MDP with rewards
/// u(x,a) (temperature 1), so V = Q(x,a) - log P(a|x) for every a; PolicyEvaluation of P on rewards u(x,a) - log P(a|x)
/// gives V, and Q(x,a) = u(x,a) + beta sum p(x'|x,a) V(x') (engine Q plus log P). The gap is measured in units of
/// 1e-6 |V|_inf, the accuracy of a dense solve with condition number about 1/(1 - beta) = 1e4.
/// </remarks>
public sealed class DdcRustClaim : IClaim
{
    /// <summary>Table IX, group 4 (THEORY.md section 7).</summary>
    public static readonly (double Rc, double Theta11, double Theta30, double Theta31, double LogLikelihood) Published = (10.0750, 2.2930, .3919, .5953, -3304.155);

    /// <inheritdoc/>
    public string Id => "DDC-RUST";

    /// <inheritdoc/>
    public string Source => "Rust 1987, Table IX; Rust 2000 NFXP manual";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        string? directory = RustData.Locate();
        if (directory is null || !Directory.Exists(directory))
            return new ClaimResult(Id, Source, 1, "no data", "data/rust1987 found", false,
                $"data/rust1987 not found above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}; set {RustData.Variable}");
        var fit = NestedFixedPoint.Fit(BusPanel.Load(directory, [4], 90), 0.9999, CostForm.Linear);
        var p = fit.TransitionProbabilities;
        double tableError = new[]
        {
            fit.ReplacementCost - Published.Rc, fit.CostParameters[0] - Published.Theta11, p[0] - Published.Theta30,
            p[1] - Published.Theta31, fit.LogLikelihood - Published.LogLikelihood,
        }.Max(Math.Abs);

        var simulated = BusSimulator.Simulate(fit.Solution, fit.Panel.Buses, 117, instances.Random);
        var refit = NestedFixedPoint.Fit(simulated, 0.9999, CostForm.Linear);
        double rcZ = Math.Abs(refit.ReplacementCost - fit.ReplacementCost) / refit.OuterProductStandardErrors[0];
        double thetaZ = Math.Abs(refit.CostParameters[0] - fit.CostParameters[0]) / refit.OuterProductStandardErrors[1];
        double identity = IdentityGap(fit.Solution);

        bool passed = tableError <= 1e-3 && rcZ <= 3 && thetaZ <= 3 && identity <= 1;
        return new ClaimResult(Id, Source, 1,
            $"Table IX max |error| {tableError:0.0e+0}; refit RC {refit.ReplacementCost:0.000} ({rcZ:0.00} s.e. off), theta11 {refit.CostParameters[0]:0.000} ({thetaZ:0.00} s.e.); identity gap {identity:0.0e+0} of 1e-6|V|",
            "<= 1e-3; <= 3 s.e.; <= 1", passed, $"group 4 fit RC {fit.ReplacementCost:0.0000}, theta11 {fit.CostParameters[0]:0.0000}, LL {fit.LogLikelihood:0.000}");
    }

    /// <summary>max_x |(Q(x,1) - Q(x,0)) - (log P(1|x) - log P(0|x))| / (1e-6 |V|_inf), Q from the engine (class remarks).</summary>
    public static double IdentityGap(ExpectedValueSolution solution)
    {
        var model = solution.Model;
        int n = model.Bins;
        var p = model.TransitionProbabilities;
        var transitions = new double[n * 2 * n];
        var rewards = new double[n * 2];
        var policy = new double[n * 2];
        for (int x = 0; x < n; x++)
        {
            double pr = solution.ReplaceProbabilities[x];
            policy[2 * x] = 1 - pr;
            policy[2 * x + 1] = pr;
            rewards[2 * x] = -model.Costs[x] - Math.Log(1 - pr);
            rewards[2 * x + 1] = -model.ReplacementCost - model.Costs[0] - Math.Log(pr);
            for (int j = 0; j < p.Length; j++)
            {
                transitions[(x * 2) * n + model.Next(x, j)] += p[j];
                transitions[(x * 2 + 1) * n + model.Next(0, j)] += p[j];
            }
        }
        var mdp = ClaimInstances.Build(n, 2, model.Discount, transitions).WithExpectedRewards(rewards);
        using var backend = new Kernels.Backends.ReferenceBackend();
        var evaluation = PolicyEvaluation.Evaluate(mdp, Policy.FromProbabilities(policy, 1, n, 2), backend);
        double scale = evaluation.Values.ToArray().Max(Math.Abs), worst = 0;
        for (int x = 0; x < n; x++)
        {
            // Engine Q includes the -log P term in its reward; adding log P back gives u + beta P V.
            double q0 = evaluation.QValues[2 * x] + Math.Log(policy[2 * x]);
            double q1 = evaluation.QValues[2 * x + 1] + Math.Log(policy[2 * x + 1]);
            worst = Math.Max(worst, Math.Abs((q1 - q0) - (Math.Log(policy[2 * x + 1]) - Math.Log(policy[2 * x]))));
        }
        return worst / (1e-6 * scale);
    }
}
