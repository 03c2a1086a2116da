using TabularRL.Engine.Model;

namespace TabularRL.Theory;

/// <summary>What the reward-comparison and behavioural-model code asks of a model.</summary>
internal static class TheoryModels
{
    /// <summary>Throws unless <paramref name="mdp"/> is infinite-horizon and discounted (0 &lt;= gamma &lt; 1), the setting of THEORY.md sections 3 and 4.</summary>
    /// <exception cref="ModelValidationException">The model has a horizon.</exception>
    public static void RequireDiscounted(Mdp mdp)
    {
        if (mdp.IsFiniteHorizon)
            throw new ModelValidationException("horizon", $"is {mdp.Horizon}: reward comparison and regret are defined here for infinite-horizon discounted models only");
    }
}
