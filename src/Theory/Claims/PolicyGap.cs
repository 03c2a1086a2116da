using TabularRL.Engine.Model;

namespace TabularRL.Theory.Claims;

/// <summary>max |pi1(a|s) - pi2(a|s)|, how the claims compare policies.</summary>
internal static class PolicyGap
{
    public static double Of(Policy first, Policy second)
    {
        double max = 0;
        for (int i = 0; i < first.Probabilities.Length; i++) max = Math.Max(max, Math.Abs(first.Probabilities[i] - second.Probabilities[i]));
        return max;
    }
}
