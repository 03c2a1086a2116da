using TabularRL.Engine.Model;
using TabularRL.Theory.Data;
using TabularRL.Theory.Estimation;
using TabularRL.Theory.Linear;

namespace TabularRL.Theory.DemoReg;

/// <summary>Behaviour cloning from expert trajectories (THEORY.md section 6, first bullet).</summary>
/// <remarks>
/// Tabular: pi_BC_h(a|s) = (N_h(s,a) + 1)/(N_h(s) + A). This is the maximiser of the log-likelihood plus the
/// log-barrier sum_{h,s,a} log pi_h(a|s) (one pseudo-observation of every action), which is how Tiapkin et al. (2023,
/// "Demonstration-regularized RL", arXiv 2310.17303, section 3) regularise the MLE so that every action keeps a
/// probability of at least 1/(N_h(s) + A) and the KL towards pi_BC stays finite. Linear: a log-linear policy
/// pi_h(a|s) proportional to exp(phi(s,a)^T theta_h) on a linear MDP's features, fitted per stage by ridge-penalised
/// multinomial-logit MLE.
/// </remarks>
public static class BehaviourCloning
{
    /// <summary>[H*S*A] visit counts N_h(s,a) of the demonstrations.</summary>
    /// <param name="demonstrations">Expert episodes, each of length <paramref name="horizon"/>.</param>
    /// <param name="horizon">H.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    public static double[] Counts(IReadOnlyList<Trajectory> demonstrations, int horizon, int stateCount, int actionCount)
    {
        CheckDemonstrations(demonstrations, horizon, stateCount, actionCount);
        var nHSA = new double[horizon * stateCount * actionCount];
        foreach (var episode in demonstrations)
        {
            var states = episode.States;
            var actions = episode.Actions;
            for (int h = 0; h < horizon; h++) nHSA[(h * stateCount + states[h]) * actionCount + actions[h]]++;
        }
        return nHSA;
    }

    /// <summary>The smoothed tabular clone pi_BC_h(a|s) = (N_h(s,a) + 1)/(N_h(s) + A), an [H,S,A] policy.</summary>
    /// <param name="demonstrations">Expert episodes of length <paramref name="horizon"/> (possibly none: then pi_BC is uniform).</param>
    /// <param name="horizon">H.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    public static Policy Tabular(IReadOnlyList<Trajectory> demonstrations, int horizon, int stateCount, int actionCount)
    {
        var nHSA = Counts(demonstrations, horizon, stateCount, actionCount);
        var piHSA = new double[nHSA.Length];
        for (int row = 0; row < horizon * stateCount; row++)
        {
            double visits = 0;
            for (int a = 0; a < actionCount; a++) visits += nHSA[row * actionCount + a];
            for (int a = 0; a < actionCount; a++) piHSA[row * actionCount + a] = (nHSA[row * actionCount + a] + 1) / (visits + actionCount);
        }
        return Policy.FromProbabilities(piHSA, horizon, stateCount, actionCount, key: "pi_BC");
    }

    /// <summary>The log-linear clone: theta_h = argmax sum_i log softmax_a(phi(s_h^i, .)^T theta)[a_h^i] - (ridge/2)||theta||^2 per stage.</summary>
    /// <param name="demonstrations">Expert episodes of length <paramref name="horizon"/>.</param>
    /// <param name="features">phi(s,a), the linear MDP's features.</param>
    /// <param name="horizon">H.</param>
    /// <param name="ridge">Ridge l &gt; 0 (a deterministic expert makes the data separable, so l = 0 has no maximiser).</param>
    /// <exception cref="Engine.Solvers.NumericalException">A stage's Newton iterations did not converge.</exception>
    public static LogLinearClone LogLinear(IReadOnlyList<Trajectory> demonstrations, FeatureMap features, int horizon, double ridge)
    {
        ArgumentNullException.ThrowIfNull(features);
        CheckDemonstrations(demonstrations, horizon, features.StateCount, features.ActionCount);
        if (!(ridge > 0) || double.IsInfinity(ridge)) throw new ArgumentOutOfRangeException(nameof(ridge), ridge, "ridge must be finite and > 0");
        int d = features.Dimension;
        var thetaHD = new double[horizon * d];
        for (int h = 0; h < horizon; h++)
            MultinomialLogit.Fit(features.StageChoices(demonstrations, h, features.ActionCount), ridge).Theta.CopyTo(thetaHD, h * d);
        return new LogLinearClone(thetaHD, LogLinearPolicy(thetaHD, features, horizon));
    }

    /// <summary>pi_h(a|s) = softmax_a(phi(s,a)^T theta_h), the max subtracted before exponentiating.</summary>
    /// <param name="thetaHD">[H*d] parameters.</param>
    /// <param name="features">phi(s,a).</param>
    /// <param name="horizon">H.</param>
    public static Policy LogLinearPolicy(double[] thetaHD, FeatureMap features, int horizon)
    {
        ArgumentNullException.ThrowIfNull(thetaHD);
        ArgumentNullException.ThrowIfNull(features);
        int S = features.StateCount, A = features.ActionCount, d = features.Dimension;
        if (thetaHD.Length != horizon * d) throw new ArgumentException($"theta has {thetaHD.Length} values, expected H*d = {horizon}*{d}", nameof(thetaHD));
        var piHSA = new double[horizon * S * A];
        var scoresSA = new double[S * A];
        for (int h = 0; h < horizon; h++)
        {
            features.Apply(thetaHD.AsSpan(h * d, d), scoresSA);
            Behaviour.Softmax.Rows(scoresSA, A, 1).CopyTo(piHSA, h * S * A);
        }
        return Policy.FromProbabilities(piHSA, horizon, S, A, key: "pi_BC");
    }

    private static void CheckDemonstrations(IReadOnlyList<Trajectory> demonstrations, int horizon, int stateCount, int actionCount)
    {
        ArgumentNullException.ThrowIfNull(demonstrations);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stateCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 1);
        for (int i = 0; i < demonstrations.Count; i++)
        {
            var episode = demonstrations[i] ?? throw new ArgumentException($"demonstration {i} is null", nameof(demonstrations));
            if (episode.Length != horizon)
                throw new ArgumentException($"demonstration {i} has {episode.Length} stages, the horizon is {horizon}", nameof(demonstrations));
            for (int h = 0; h < horizon; h++)
            {
                if (episode.States[h] < 0 || episode.States[h] >= stateCount)
                    throw new ArgumentException($"demonstration {i} visits state {episode.States[h]} at stage {h}, out of range [0, {stateCount})", nameof(demonstrations));
                if (episode.Actions[h] < 0 || episode.Actions[h] >= actionCount)
                    throw new ArgumentException($"demonstration {i} takes action {episode.Actions[h]} at stage {h}, out of range [0, {actionCount})", nameof(demonstrations));
            }
        }
    }
}

/// <summary>A fitted log-linear behaviour-cloning policy.</summary>
/// <param name="ThetaHD">[H*d] per-stage parameters.</param>
/// <param name="Policy">The [H,S,A] policy softmax(phi^T theta_h).</param>
public sealed record LogLinearClone(double[] ThetaHD, Policy Policy);
