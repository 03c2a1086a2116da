using TabularRL.Engine.Model;
using TabularRL.Theory.Data;
using TabularRL.Theory.Estimation;

namespace TabularRL.Theory.DemoReg;

/// <summary>Behaviour cloning from expert trajectories (THEORY.md section 6, first bullet).</summary>
/// <remarks>
/// Tabular: pi_BC_h(a|s) = (N_h(s,a) + 1)/(N_h(s) + A). This is the maximiser of the log-likelihood plus the
/// log-barrier sum_{h,s,a} log pi_h(a|s) (one pseudo-observation of every action), which is how Tiapkin et al. (2023,
/// "Demonstration-regularized RL", arXiv 2310.17303, section 3) regularise the MLE so that every action keeps a
/// probability of at least 1/(N_h(s) + A) and the KL towards pi_BC stays finite. Linear: a log-linear policy
/// pi_h(a|s) proportional to exp(phi(s,a)^T theta_h), fitted per stage by ridge-penalised multinomial-logit MLE.
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

    /// <summary>The choices of stage <paramref name="stage"/>: for each demonstration, the rows phi(s_h, a) of every a and the action taken.</summary>
    /// <param name="demonstrations">Expert episodes.</param>
    /// <param name="phiSAD">[S*A*d] features phi(s,a), finite.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="dimension">d.</param>
    /// <param name="stage">h in [0, H).</param>
    public static ChoiceData StageChoices(IReadOnlyList<Trajectory> demonstrations, double[] phiSAD, int stateCount, int actionCount, int dimension, int stage)
    {
        CheckFeatures(phiSAD, stateCount, actionCount, dimension);
        ArgumentNullException.ThrowIfNull(demonstrations);
        var featuresNAD = new double[demonstrations.Count * actionCount * dimension];
        var choices = new int[demonstrations.Count];
        for (int i = 0; i < demonstrations.Count; i++)
        {
            var episode = demonstrations[i];
            if (stage < 0 || stage >= episode.Length)
                throw new ArgumentOutOfRangeException(nameof(stage), stage, $"demonstration {i} has {episode.Length} stages");
            int s = episode.States[stage];
            if (s < 0 || s >= stateCount) throw new ArgumentException($"demonstration {i} visits state {s} at stage {stage}, out of range [0, {stateCount})", nameof(demonstrations));
            Array.Copy(phiSAD, s * actionCount * dimension, featuresNAD, i * actionCount * dimension, actionCount * dimension);
            choices[i] = episode.Actions[stage];
        }
        return new ChoiceData(featuresNAD, choices, actionCount, dimension);
    }

    /// <summary>The log-linear clone: theta_h = argmax sum_i log softmax_a(phi(s_h^i, .)^T theta)[a_h^i] - (ridge/2)||theta||^2 per stage.</summary>
    /// <param name="demonstrations">Expert episodes of length <paramref name="horizon"/>.</param>
    /// <param name="phiSAD">[S*A*d] features phi(s,a) (a plain array, so that no linear-MDP type is needed).</param>
    /// <param name="horizon">H.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="dimension">d.</param>
    /// <param name="ridge">Ridge l &gt; 0 (a deterministic expert makes the data separable, so l = 0 has no maximiser).</param>
    /// <exception cref="Engine.Solvers.NumericalException">A stage's Newton iterations did not converge.</exception>
    public static LogLinearClone LogLinear(IReadOnlyList<Trajectory> demonstrations, double[] phiSAD, int horizon, int stateCount, int actionCount, int dimension, double ridge)
    {
        CheckDemonstrations(demonstrations, horizon, stateCount, actionCount);
        CheckFeatures(phiSAD, stateCount, actionCount, dimension);
        if (!(ridge > 0) || double.IsInfinity(ridge)) throw new ArgumentOutOfRangeException(nameof(ridge), ridge, "ridge must be finite and > 0");
        var thetaHD = new double[horizon * dimension];
        for (int h = 0; h < horizon; h++)
        {
            var fit = MultinomialLogit.Fit(StageChoices(demonstrations, phiSAD, stateCount, actionCount, dimension, h), ridge);
            fit.Theta.CopyTo(thetaHD, h * dimension);
        }
        return new LogLinearClone(thetaHD, LogLinearPolicy(thetaHD, phiSAD, horizon, stateCount, actionCount, dimension));
    }

    /// <summary>pi_h(a|s) = softmax_a(phi(s,a)^T theta_h), the max subtracted before exponentiating.</summary>
    /// <param name="thetaHD">[H*d] parameters.</param>
    /// <param name="phiSAD">[S*A*d] features.</param>
    /// <param name="horizon">H.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="dimension">d.</param>
    public static Policy LogLinearPolicy(double[] thetaHD, double[] phiSAD, int horizon, int stateCount, int actionCount, int dimension)
    {
        CheckFeatures(phiSAD, stateCount, actionCount, dimension);
        if (thetaHD.Length != horizon * dimension) throw new ArgumentException($"theta has {thetaHD.Length} values, expected H*d = {horizon}*{dimension}", nameof(thetaHD));
        var piHSA = new double[horizon * stateCount * actionCount];
        for (int h = 0; h < horizon; h++)
            for (int s = 0; s < stateCount; s++)
            {
                int row = (h * stateCount + s) * actionCount;
                double max = double.NegativeInfinity;
                for (int a = 0; a < actionCount; a++)
                {
                    double z = 0;
                    for (int k = 0; k < dimension; k++) z += phiSAD[(s * actionCount + a) * dimension + k] * thetaHD[h * dimension + k];
                    piHSA[row + a] = z;
                    max = Math.Max(max, z);
                }
                double total = 0;
                for (int a = 0; a < actionCount; a++) total += piHSA[row + a] = Math.Exp(piHSA[row + a] - max);
                for (int a = 0; a < actionCount; a++) piHSA[row + a] /= total;
            }
        return Policy.FromProbabilities(piHSA, horizon, stateCount, actionCount, key: "pi_BC");
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

    private static void CheckFeatures(double[] phiSAD, int stateCount, int actionCount, int dimension)
    {
        ArgumentNullException.ThrowIfNull(phiSAD);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (phiSAD.LongLength != (long)stateCount * actionCount * dimension)
            throw new ArgumentException($"features have {phiSAD.LongLength} values, expected S*A*d = {stateCount}*{actionCount}*{dimension}", nameof(phiSAD));
        for (int k = 0; k < phiSAD.Length; k++)
            if (!double.IsFinite(phiSAD[k])) throw new ArgumentException($"feature value {k} (s={k / (actionCount * dimension)}) is {phiSAD[k]}", nameof(phiSAD));
    }
}

/// <summary>A fitted log-linear behaviour-cloning policy.</summary>
/// <param name="ThetaHD">[H*d] per-stage parameters.</param>
/// <param name="Policy">The [H,S,A] policy softmax(phi^T theta_h).</param>
public sealed record LogLinearClone(double[] ThetaHD, Policy Policy);
