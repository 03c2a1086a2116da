using TabularRL.Kernels;

namespace TabularRL.Tests.Generators;

/// <summary>
/// Every input of the Bellman primitives for one model, each a slice of a poisoned buffer (<see cref="Padded"/>):
/// stochastic transition rows, rewards and values of a given magnitude with random signs, a KL reference with zeros,
/// a stochastic policy with zeros and a deterministic policy.
/// </summary>
public sealed class KernelModel
{
    private KernelModel(int stateCount, int actionCount, double discount, SparseRows transitions, double[] rewardsSA,
        double[] vS, double[] logReferenceSA, double[] policySA, int[] actionsS)
    {
        StateCount = stateCount;
        ActionCount = actionCount;
        Discount = discount;
        Transitions = transitions;
        RewardsSA = Padded.Around(rewardsSA);
        VS = Padded.Around(vS);
        LogReferenceSA = Padded.Around(logReferenceSA);
        PolicySA = Padded.Around(policySA);
        ActionsS = Padded.Around(actionsS, int.MinValue);
    }

    /// <summary>S.</summary>
    public int StateCount { get; }

    /// <summary>A.</summary>
    public int ActionCount { get; }

    /// <summary>gamma.</summary>
    public double Discount { get; }

    /// <summary>[S*A rows] P(.|s,a) over rows s*A + a, with absolute offsets into larger arrays.</summary>
    public SparseRows Transitions { get; }

    /// <summary>[S*A] rewards.</summary>
    public ReadOnlyMemory<double> RewardsSA { get; }

    /// <summary>[S] values a backup reads.</summary>
    public ReadOnlyMemory<double> VS { get; }

    /// <summary>[S*A] log piRef(a|s), negative infinity on some actions, finite on at least one per state.</summary>
    public ReadOnlyMemory<double> LogReferenceSA { get; }

    /// <summary>[S*A] pi(a|s) with zeros, rows summing to 1.</summary>
    public ReadOnlyMemory<double> PolicySA { get; }

    /// <summary>[S] actions of a deterministic policy.</summary>
    public ReadOnlyMemory<int> ActionsS { get; }

    /// <summary>The problem the backups read.</summary>
    public BellmanProblem Problem => new(Transitions, RewardsSA, StateCount, ActionCount, Discount);

    /// <summary>The same model with other rewards, values or discount (the transitions are shared).</summary>
    public KernelModel With(double[]? rewardsSA = null, double[]? vS = null, double? discount = null)
        => new(StateCount, ActionCount, discount ?? Discount, Transitions,
            rewardsSA ?? RewardsSA.ToArray(), vS ?? VS.ToArray(), LogReferenceSA.ToArray(), PolicySA.ToArray(), ActionsS.ToArray());

    /// <summary>The same model over other transition rows with the same shape (S*A rows, entries in [0, S)).</summary>
    public KernelModel WithTransitions(SparseRows transitions)
        => new(StateCount, ActionCount, Discount, transitions,
            RewardsSA.ToArray(), VS.ToArray(), LogReferenceSA.ToArray(), PolicySA.ToArray(), ActionsS.ToArray());

    /// <summary>The same model with its transition probabilities stored as float32 (<see cref="SparseRows.ToSingle"/>).</summary>
    public KernelModel WithSingleProbabilities()
        => new(StateCount, ActionCount, Discount, Transitions.ToSingle(),
            RewardsSA.ToArray(), VS.ToArray(), LogReferenceSA.ToArray(), PolicySA.ToArray(), ActionsS.ToArray());

    /// <summary>Builds a model from the next states of each row; everything else is drawn from <paramref name="seed"/>.</summary>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="discount">gamma.</param>
    /// <param name="magnitude">Rewards and values are uniform in [-magnitude, magnitude].</param>
    /// <param name="seed">Seed of every draw.</param>
    /// <param name="nextStates">Row s*A + a to its sorted, distinct, non-empty next states (may draw from the generator).</param>
    public static KernelModel Create(int stateCount, int actionCount, double discount, double magnitude, int seed,
        Func<int, System.Random, int[]> nextStates)
    {
        var random = new System.Random(seed);
        int rows = stateCount * actionCount;
        var indptr = new long[rows + 1];
        var columns = new List<int>();
        var values = new List<double>();
        for (int row = 0; row < rows; row++)
        {
            int[] next = nextStates(row, random);
            // Weights bounded away from 0 so that no probability is negligible next to the others.
            double total = 0;
            int start = values.Count;
            foreach (int column in next)
            {
                double w = 0.05 + random.NextDouble();
                columns.Add(column);
                values.Add(w);
                total += w;
            }
            for (int k = start; k < values.Count; k++)
                values[k] /= total;
            indptr[row + 1] = columns.Count;
        }
        var transitions = Padded.Rows(indptr, columns.ToArray(), values.ToArray());

        var rewards = new double[rows];
        for (int i = 0; i < rows; i++) rewards[i] = (2 * random.NextDouble() - 1) * magnitude;
        var v = new double[stateCount];
        for (int i = 0; i < stateCount; i++) v[i] = (2 * random.NextDouble() - 1) * magnitude;

        // Each state keeps one action for sure in the reference and the policy, and each other with probability 0.6.
        var logReference = new double[rows];
        var policy = new double[rows];
        for (int s = 0; s < stateCount; s++)
        {
            int keep = random.Next(actionCount);
            double refTotal = 0, piTotal = 0;
            for (int a = 0; a < actionCount; a++)
            {
                int i = s * actionCount + a;
                logReference[i] = a == keep || random.NextDouble() < 0.6 ? 0.05 + random.NextDouble() : 0;
                policy[i] = a == keep || random.NextDouble() < 0.6 ? 0.05 + random.NextDouble() : 0;
                refTotal += logReference[i];
                piTotal += policy[i];
            }
            for (int a = 0; a < actionCount; a++)
            {
                int i = s * actionCount + a;
                logReference[i] = logReference[i] > 0 ? Math.Log(logReference[i] / refTotal) : double.NegativeInfinity;
                policy[i] /= piTotal;
            }
        }
        var actions = new int[stateCount];
        for (int s = 0; s < stateCount; s++) actions[s] = random.Next(actionCount);
        return new KernelModel(stateCount, actionCount, discount, transitions, rewards, v, logReference, policy, actions);
    }

    /// <summary>
    /// <paramref name="length"/> distinct sorted columns in [0, <paramref name="columnCount"/>), including column 0 when
    /// <paramref name="first"/> and column <paramref name="columnCount"/> - 1 when <paramref name="last"/> (as far as the
    /// length allows), the rest uniform.
    /// </summary>
    public static int[] DistinctColumns(System.Random random, int columnCount, int length, bool first, bool last)
    {
        length = Math.Min(length, columnCount);
        var chosen = new int[length];
        int count = 0;
        if (first && count < length) chosen[count++] = 0;
        if (last && count < length && Array.IndexOf(chosen, columnCount - 1, 0, count) < 0) chosen[count++] = columnCount - 1;
        while (count < length)
        {
            int c = random.Next(columnCount);
            if (Array.IndexOf(chosen, c, 0, count) < 0) chosen[count++] = c;
        }
        Array.Sort(chosen);
        return chosen;
    }
}
