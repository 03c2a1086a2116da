using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;
using TabularRL.Kernels;

namespace TabularRL.Theory.DemoReg;

/// <summary>Random episodic models and experts for the demonstration-regularisation experiments.</summary>
/// <remarks>
/// Models have stage-dependent transitions and rewards, gamma = 1 (the paper's episodic setting), a uniform mu0 and rewards
/// uniform in [0, 1]. Every transition row has its weights uniform in [<c>minWeight</c>, 1] over all S next states, so every
/// state is reached at every stage h &gt;= 1 with probability at least minWeight/S: the behaviour-cloning rate is about
/// states the expert visits, and this keeps each visited often enough for the asymptotic 1/N_E regime to show at
/// moderate N_E (the bound itself needs no coverage: a state of visit probability d adds at most d log A).
/// </remarks>
public static class DemoRegInstances
{
    /// <summary>A model with the given sizes.</summary>
    /// <param name="random">The generator.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="horizon">H.</param>
    /// <param name="minWeight">Smallest unnormalised transition weight in [0, 1]; 0 allows impossible transitions (a weight of exactly 0 is drawn with probability 1/4 then).</param>
    public static Mdp Model(Random random, int stateCount, int actionCount, int horizon, double minWeight)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(minWeight >= 0 && minWeight <= 1)) throw new ArgumentOutOfRangeException(nameof(minWeight), minWeight, "must lie in [0, 1]");
        int S = stateCount, A = actionCount, H = horizon;
        var pHSAS = new double[H * S * A * S];
        for (int row = 0; row < H * S * A; row++)
        {
            double total = 0;
            for (int next = 0; next < S; next++)
            {
                double w = minWeight == 0 && random.Next(4) == 0 ? 0 : minWeight + (1 - minWeight) * random.NextDouble();
                pHSAS[row * S + next] = w;
                total += w;
            }
            if (total == 0) { pHSAS[row * S + random.Next(S)] = 1; total = 1; }
            for (int next = 0; next < S; next++) pHSAS[row * S + next] /= total;
        }
        var rHSA = new double[H * S * A];
        for (int i = 0; i < rHSA.Length; i++) rHSA[i] = random.NextDouble();
        return new MdpBuilder
        {
            StateCount = S,
            ActionCount = A,
            Horizon = H,
            Discount = 1,
            DenseTransitions = pHSAS,
            DenseTransitionsShape = [H, S, A, S],
            Rewards = rHSA,
            RewardsShape = [H, S, A],
        }.Build();
    }

    /// <summary>The optimal deterministic [H,S,A] policy (ties to the lowest action).</summary>
    public static Policy OptimalExpert(Mdp mdp, IBellmanBackend backend)
    {
        var solution = BackwardInduction.Solve(mdp, backend);
        return Policy.FromActions(solution.Actions, mdp.StageCount, mdp.StateCount, mdp.ActionCount, "expert");
    }

    /// <summary>The soft-optimal (maximum-entropy) [H,S,A] policy at temperature <paramref name="temperature"/>: stochastic and eps_E-suboptimal.</summary>
    public static Policy SoftExpert(Mdp mdp, double temperature, IBellmanBackend backend)
    {
        var solution = SoftValueIteration.Solve(mdp, new SoftValueIterationOptions { Temperature = temperature }, backend);
        return Policy.FromProbabilities(solution.Policy.ToArray(), mdp.StageCount, mdp.StateCount, mdp.ActionCount, 1e-8, "expert");
    }

    /// <summary>(1 - eta) optimal + eta uniform: an expert that errs with probability eta at every step.</summary>
    public static Policy NoisyExpert(Mdp mdp, double eta, IBellmanBackend backend)
    {
        var optimal = OptimalExpert(mdp, backend).Probabilities;
        var mixed = new double[optimal.Length];
        for (int i = 0; i < mixed.Length; i++) mixed[i] = (1 - eta) * optimal[i] + eta / mdp.ActionCount;
        return Policy.FromProbabilities(mixed, mdp.StageCount, mdp.StateCount, mdp.ActionCount, 1e-8, "expert");
    }

    /// <summary>mu0 . V*_0.</summary>
    public static double OptimalValue(Mdp mdp, IBellmanBackend backend)
    {
        var values = BackwardInduction.Solve(mdp, backend).Values;
        var mu0 = mdp.InitialDistribution;
        double total = 0;
        for (int s = 0; s < mdp.StateCount; s++) total += mu0[s] * values[s];
        return total;
    }
}
