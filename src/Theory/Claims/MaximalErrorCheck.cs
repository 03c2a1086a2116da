using TabularRL.Engine.Model;
using TabularRL.Theory.Misspecification;

namespace TabularRL.Theory.Claims;

/// <summary>
/// The loop shared by DISCOUNT-MISSPEC and TRANSITION-MISSPEC: run a misspecification construction on fresh true models
/// and hold it to STARC distance &gt;= 1.99 (the smaller of c_VAL's and c_min's) with the observed policy explained to 1e-9.
/// </summary>
internal static class MaximalErrorCheck
{
    private const double Distance = 1.99, Gap = 1e-9;

    /// <param name="claim">The claim the row belongs to.</param>
    /// <param name="instances">Where the true models come from.</param>
    /// <param name="count">Instances.</param>
    /// <param name="construct">Runs the construction on a true model; returns the result and a label suffix. An
    /// <see cref="ArgumentException"/> means the construction has no direction to move along on this model (its
    /// added term lies in N of the true model): the instance is skipped and counted.</param>
    public static ClaimResult Run(IClaim claim, ClaimInstances instances, int count, Func<Mdp, (MisspecificationResult Result, string Label)> construct)
    {
        var distance = new WorstCase(largest: false);
        var gap = new WorstCase();
        int skipped = 0;
        for (int i = 0; i < count; i++)
        {
            var truth = instances.Model();
            (MisspecificationResult Result, string Label) outcome;
            try
            {
                outcome = construct(truth);
            }
            catch (ArgumentException)
            {
                skipped++;
                continue;
            }
            string label = InstanceLabel.Of(i, truth) + outcome.Label;
            distance.Observe(Math.Min(outcome.Result.ValDistance, outcome.Result.MinDistance), label);
            gap.Observe(outcome.Result.PolicyGap, label);
        }
        bool passed = distance.Value >= Distance && gap.Value <= Gap;
        return new ClaimResult(claim.Id, claim.Source, count,
            $"STARC distance at least {distance.Value:F6}; policy gap at most {gap}" + (skipped > 0 ? $"; {skipped} skipped" : ""),
            $"distance >= {Distance}; gap <= {WorstCase.Format(Gap)}", passed, distance.Value >= Distance ? gap.Instance : distance.Instance);
    }
}
