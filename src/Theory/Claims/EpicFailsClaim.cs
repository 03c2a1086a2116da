using TabularRL.Theory.Canonicalisation;
using TabularRL.Theory.Metrics;
using TabularRL.Theory.Rewards;

namespace TabularRL.Theory.Claims;

/// <summary>
/// EPIC-FAILS: an S'-redistribution of 0 (no policy's return changes) moves EPIC and DARD away from 0 while STARC stays
/// at 0; changing only rewards of impossible transitions moves EPIC too.
/// </summary>
public sealed class EpicFailsClaim : IClaim
{
    private const double Moved = 0.05;

    /// <inheritdoc/>
    public string Id => "EPIC-FAILS";

    /// <inheritdoc/>
    public string Source => "Gleave et al. 2021 (EPIC); Wulfe et al. 2022 (DARD); STARC (Skalse et al. 2024), App. A-B";

    /// <inheritdoc/>
    public ClaimResult Check(ClaimInstances instances, int count)
    {
        var epic = new WorstCase();
        var dard = new WorstCase();
        var impossible = new WorstCase();
        var starc = new WorstCase();
        for (int i = 0; i < count; i++)
        {
            var mdp = instances.Model();
            var reward = instances.Reward(mdp);
            var redistributed = reward.Plus(instances.Redistribution(mdp));
            // Only the impossible transitions change: R + X where X is 0 wherever tau > 0.
            var offSupport = OffSupport(mdp, instances);
            var coverage = CoverageDistributions.Uniform(mdp.StateCount, mdp.ActionCount);
            string label = InstanceLabel.Of(i, mdp);
            epic.Observe(Pearson(new EpicCanonicalisation(mdp, coverage), coverage, reward, redistributed), label);
            dard.Observe(Pearson(new DardCanonicalisation(mdp, coverage), coverage, reward, redistributed), label);
            impossible.Observe(Pearson(new EpicCanonicalisation(mdp, coverage), coverage, reward, reward.Plus(offSupport)), label);
            foreach (ICanonicalisation canon in new ICanonicalisation[] { new ValCanonicalisation(mdp, instances.Backend), new MinimalCanonicalisation(mdp) })
            {
                var metric = new StarcMetric(canon, RewardNorm.L2);
                starc.Observe(Math.Max(metric.Distance(reward, redistributed), metric.Distance(reward, reward.Plus(offSupport))), $"{label}, c_{canon.Name}");
            }
        }
        bool passed = epic.Value > Moved && dard.Value > Moved && impossible.Value > Moved && starc.Value <= 1e-10;
        return new ClaimResult(Id, Source, count,
            $"under redistribution EPIC up to {epic}, DARD up to {dard}; EPIC under impossible-transition rewards up to {impossible}; STARC at most {starc}",
            $"EPIC, DARD > {Moved} on some instance; STARC <= 1e-10", passed, $"EPIC: {epic.Instance}; DARD: {dard.Instance}");
    }

    private static TransitionReward OffSupport(Engine.Model.Mdp mdp, ClaimInstances instances)
    {
        var possible = new bool[mdp.StateCount * mdp.ActionCount * mdp.StateCount];
        for (int row = 0; row < mdp.StateCount * mdp.ActionCount; row++)
            for (long k = mdp.RowPointers[row]; k < mdp.RowPointers[row + 1]; k++)
                if (mdp.Probabilities[(int)k] > 0) possible[row * mdp.StateCount + mdp.Columns[(int)k]] = true;
        return TransitionReward.Create(mdp.StateCount, mdp.ActionCount,
            (s, a, next) => possible[(s * mdp.ActionCount + a) * mdp.StateCount + next] ? 0 : 10 * instances.Normal());
    }

    private static double Pearson(ICanonicalisation canon, CoverageDistributions coverage, TransitionReward first, TransitionReward second)
    {
        try
        {
            return new PearsonDistance(canon, coverage).Distance(first, second);
        }
        catch (ArgumentException)
        {
            // A canonical form of zero variance has no correlation; such an instance says nothing about this claim.
            return 0;
        }
    }
}
