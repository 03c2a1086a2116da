namespace TabularRL.Engine.Model;

/// <summary>Descriptive statistics of a model, for <c>tabrl info</c>.</summary>
/// <param name="StateCount">S.</param>
/// <param name="ActionCount">A.</param>
/// <param name="Discount">gamma.</param>
/// <param name="Horizon">H or null.</param>
/// <param name="TransitionStages">1 or H.</param>
/// <param name="RewardStages">1 or H.</param>
/// <param name="NonZeroCount">Stored transition entries.</param>
/// <param name="MinBranching">Fewest next states of a row.</param>
/// <param name="MeanBranching">Mean next states per row.</param>
/// <param name="MaxBranching">Most next states of a row.</param>
/// <param name="AbsorbingStates">States whose every action returns to the state with probability 1 (stage 0).</param>
/// <param name="RewardsDependOnNextState">Whether rewards were given as R(s,a,s').</param>
/// <param name="MinReward">Smallest expected reward.</param>
/// <param name="MaxReward">Largest expected reward.</param>
/// <param name="InitialSupport">States with positive initial probability.</param>
/// <param name="BytesPerSweep">Compulsory bytes of one Bellman sweep, 12 nnz + 16 S A + 20 S (STYLE.md, Benchmarks).</param>
public sealed record ModelSummary(int StateCount, int ActionCount, double Discount, int? Horizon, int TransitionStages,
    int RewardStages, long NonZeroCount, long MinBranching, double MeanBranching, long MaxBranching, int AbsorbingStates,
    bool RewardsDependOnNextState, double MinReward, double MaxReward, int InitialSupport, long BytesPerSweep)
{
    /// <summary>Computes the summary of <paramref name="mdp"/>.</summary>
    /// <param name="mdp">The model.</param>
    public static ModelSummary Of(Mdp mdp)
    {
        int S = mdp.StateCount, A = mdp.ActionCount;
        var rowPointers = mdp.RowPointers;
        var columns = mdp.Columns;
        var probabilities = mdp.Probabilities;
        long rows = rowPointers.Length - 1, min = long.MaxValue, max = 0;
        for (long row = 0; row < rows; row++)
        {
            long length = rowPointers[(int)row + 1] - rowPointers[(int)row];
            min = Math.Min(min, length);
            max = Math.Max(max, length);
        }
        int absorbing = 0;
        for (int s = 0; s < S; s++)
        {
            bool stays = true;
            for (int a = 0; a < A && stays; a++)
            {
                int row = s * A + a;
                long start = rowPointers[row];
                stays = rowPointers[row + 1] - start == 1 && columns[(int)start] == s && probabilities[(int)start] == 1;
            }
            if (stays) absorbing++;
        }
        double minReward = double.PositiveInfinity, maxReward = double.NegativeInfinity;
        foreach (double r in mdp.ExpectedRewards)
        {
            minReward = Math.Min(minReward, r);
            maxReward = Math.Max(maxReward, r);
        }
        int support = 0;
        foreach (double p in mdp.InitialDistribution)
            if (p > 0) support++;
        return new ModelSummary(S, A, mdp.Discount, mdp.Horizon, mdp.TransitionStageCount, mdp.RewardStageCount,
            mdp.NonZeroCount, min, (double)mdp.NonZeroCount / rows, max, absorbing, mdp.HasTransitionRewards,
            minReward, maxReward, support, 12 * mdp.NonZeroCount / mdp.TransitionStageCount + 16L * S * A + 20L * S);
    }
}
