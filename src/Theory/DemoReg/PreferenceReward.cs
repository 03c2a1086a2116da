using TabularRL.Theory.Data;
using TabularRL.Theory.Estimation;

namespace TabularRL.Theory.DemoReg;

/// <summary>Bradley-Terry reward estimation from trajectory preferences (THEORY.md section 6, RLHF variant).</summary>
/// <remarks>
/// The tabular reward is linear in the trajectory's visit counts: r(tau) = &lt;theta, psi(tau)&gt; with psi(tau) the
/// [H*S*A] indicator counts of (h, s_h, a_h) and theta = r_hsa. P(tau1 preferred) = sigma(&lt;theta, psi(tau1) - psi(tau0)&gt;)
/// is a binary logit, i.e. the A = 2 multinomial logit with features (0, psi(tau1) - psi(tau0)) and choice 1 when tau1 was
/// preferred, fitted by <see cref="MultinomialLogit.Fit"/> with a ridge. Only differences are observed, so a constant
/// added to every r_h(s, .) of one stage, and the reward of (h,s,a) that no compared pair visits, are not identified;
/// the ridge sets those components to 0 (the fit stays in the span of the differences).
/// </remarks>
public static class PreferenceReward
{
    /// <summary>[H*S*A] visit counts psi(tau) of one episode.</summary>
    public static double[] Features(Trajectory episode, int stateCount, int actionCount)
    {
        ArgumentNullException.ThrowIfNull(episode);
        var psi = new double[episode.Length * stateCount * actionCount];
        for (int h = 0; h < episode.Length; h++) psi[(h * stateCount + episode.States[h]) * actionCount + episode.Actions[h]]++;
        return psi;
    }

    /// <summary>The binary-choice data of the preferences: option 0 has zero features, option 1 has psi(tau1) - psi(tau0).</summary>
    /// <param name="preferences">Labelled pairs, episodes of length <paramref name="horizon"/>.</param>
    /// <param name="horizon">H.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    public static ChoiceData Choices(IReadOnlyList<Preference> preferences, int horizon, int stateCount, int actionCount)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        int d = horizon * stateCount * actionCount;
        var featuresNAD = new double[preferences.Count * 2 * d];
        var choices = new int[preferences.Count];
        for (int i = 0; i < preferences.Count; i++)
        {
            var pair = preferences[i] ?? throw new ArgumentException($"preference {i} is null", nameof(preferences));
            Check(pair.First, i, horizon, stateCount, actionCount, nameof(preferences));
            Check(pair.Second, i, horizon, stateCount, actionCount, nameof(preferences));
            var one = Features(pair.First, stateCount, actionCount);
            var zero = Features(pair.Second, stateCount, actionCount);
            for (int k = 0; k < d; k++) featuresNAD[(2 * i + 1) * d + k] = one[k] - zero[k];
            choices[i] = pair.FirstPreferred ? 1 : 0;
        }
        return new ChoiceData(featuresNAD, choices, 2, d);
    }

    /// <summary>The ridge-penalised Bradley-Terry MLE of the stage rewards, [H*S*A].</summary>
    /// <param name="preferences">Labelled pairs.</param>
    /// <param name="horizon">H.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="ridge">l &gt; 0.</param>
    /// <exception cref="Engine.Solvers.NumericalException">Newton's method did not converge.</exception>
    public static double[] Fit(IReadOnlyList<Preference> preferences, int horizon, int stateCount, int actionCount, double ridge)
    {
        if (!(ridge > 0) || double.IsInfinity(ridge)) throw new ArgumentOutOfRangeException(nameof(ridge), ridge, "ridge must be finite and > 0 (unvisited and per-stage constant rewards are not identified)");
        return MultinomialLogit.Fit(Choices(preferences, horizon, stateCount, actionCount), ridge).Theta;
    }

    private static void Check(Trajectory episode, int i, int horizon, int stateCount, int actionCount, string name)
    {
        if (episode is null) throw new ArgumentException($"preference {i} has a null episode", name);
        if (episode.Length != horizon) throw new ArgumentException($"preference {i} has an episode of {episode.Length} stages, the horizon is {horizon}", name);
        for (int h = 0; h < horizon; h++)
        {
            if (episode.States[h] < 0 || episode.States[h] >= stateCount) throw new ArgumentException($"preference {i}: state {episode.States[h]} at stage {h} is out of range [0, {stateCount})", name);
            if (episode.Actions[h] < 0 || episode.Actions[h] >= actionCount) throw new ArgumentException($"preference {i}: action {episode.Actions[h]} at stage {h} is out of range [0, {actionCount})", name);
        }
    }
}
