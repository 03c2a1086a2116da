using TabularRL.Theory.Data;
using TabularRL.Theory.Estimation;

namespace TabularRL.Theory.Dcppo;

/// <summary>DCPPO step 1: per-stage multinomial-logit maximum likelihood of the human's Q_h = phi^T theta_h.</summary>
/// <remarks>
/// THEORY.md section 5, step 1: theta_h = argmax sum_i log softmax_{a &lt; C}(phi(s_h^i,.)^T theta)[a_h^i] - (l1/2)||theta||^2,
/// fitted by <see cref="MultinomialLogit.Fit"/>. Only differences of Q_h across actions at one state are identified,
/// so the ridge picks the smallest-norm theta within the flat directions; the normalisation in
/// <see cref="BellmanRewardRegression"/> removes what that choice left.
/// </remarks>
public static class ChoiceStage
{
    /// <summary>The choices of stage <paramref name="h"/>: for episode i, phi(s_h^i, a) for the C actions of the choice set, and a_h^i.</summary>
    /// <exception cref="ArgumentException">An episode's length is not H, or it takes an action outside the human's choice set.</exception>
    public static ChoiceData Data(DcppoProblem problem, IReadOnlyList<Trajectory> trajectories, int h)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(trajectories);
        if (h < 0 || h >= problem.Horizon) throw new ArgumentOutOfRangeException(nameof(h), h, $"stage must lie in [0, H = {problem.Horizon})");
        for (int i = 0; i < trajectories.Count; i++)
            if (trajectories[i].Length != problem.Horizon)
                throw new ArgumentException($"trajectory {i} has {trajectories[i].Length} steps, the horizon is {problem.Horizon}", nameof(trajectories));
        return problem.Features.StageChoices(trajectories, h, problem.ChoiceSetSize);
    }

    /// <summary>[H*d] theta_h for every stage.</summary>
    /// <param name="problem">The setting.</param>
    /// <param name="trajectories">The human's episodes.</param>
    /// <param name="ridge">l1 &gt; 0.</param>
    public static double[] Fit(DcppoProblem problem, IReadOnlyList<Trajectory> trajectories, double ridge)
    {
        ArgumentNullException.ThrowIfNull(problem);
        int d = problem.Features.Dimension;
        var theta = new double[problem.Horizon * d];
        for (int h = 0; h < problem.Horizon; h++)
            MultinomialLogit.Fit(Data(problem, trajectories, h), ridge).Theta.CopyTo(theta, h * d);
        return theta;
    }
}
