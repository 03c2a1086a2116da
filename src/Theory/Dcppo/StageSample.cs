using TabularRL.Theory.Data;

namespace TabularRL.Theory.Dcppo;

/// <summary>One observed step (s_h, a_h, s_{h+1}) of stage h with a weight (1 for a sampled episode).</summary>
/// <param name="State">s_h.</param>
/// <param name="Action">a_h.</param>
/// <param name="NextState">s_{h+1}.</param>
/// <param name="Weight">How many observations it stands for; weights let a test feed the exact expectation (all s' weighted by P).</param>
public readonly record struct StageSample(int State, int Action, int NextState, double Weight)
{
    /// <summary>[H][n] the steps of <paramref name="trajectories"/> grouped by stage, each with weight 1.</summary>
    /// <exception cref="ArgumentException">A trajectory does not have <paramref name="horizon"/> steps.</exception>
    public static StageSample[][] ByStage(IReadOnlyList<Trajectory> trajectories, int horizon)
    {
        ArgumentNullException.ThrowIfNull(trajectories);
        var stages = new StageSample[horizon][];
        for (int h = 0; h < horizon; h++) stages[h] = new StageSample[trajectories.Count];
        for (int i = 0; i < trajectories.Count; i++)
        {
            var t = trajectories[i];
            if (t.Length != horizon) throw new ArgumentException($"trajectory {i} has {t.Length} steps, the horizon is {horizon}", nameof(trajectories));
            for (int h = 0; h < horizon; h++) stages[h][i] = new StageSample(t.States[h], t.Actions[h], t.States[h + 1], 1);
        }
        return stages;
    }
}
