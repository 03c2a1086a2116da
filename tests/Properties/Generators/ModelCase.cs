using System.Globalization;
using System.Text;
using TabularRL.Engine.Model;

namespace TabularRL.Tests.Generators;

/// <summary>A generated model: every number needed to rebuild it, printed in round-trip form by <see cref="ToString"/>.</summary>
/// <param name="StateCount">S.</param>
/// <param name="ActionCount">A.</param>
/// <param name="Discount">gamma.</param>
/// <param name="Horizon">H, or null for a discounted model.</param>
/// <param name="TransitionStages">1 (stationary) or H.</param>
/// <param name="Transitions">[TransitionStages*S*A*S] dense probabilities; zeros are impossible transitions.</param>
/// <param name="UseCsr">Whether <see cref="Build"/> passes CSR keys (true) or the dense array (false).</param>
/// <param name="Rewards">Row-major rewards over <paramref name="RewardsShape"/>.</param>
/// <param name="RewardsShape">[S,A], [S,A,S], [H,S,A] or [H,S,A,S].</param>
/// <param name="InitialDistribution">[S] mu0.</param>
public sealed record ModelCase(
    int StateCount,
    int ActionCount,
    double Discount,
    int? Horizon,
    int TransitionStages,
    double[] Transitions,
    bool UseCsr,
    double[] Rewards,
    long[] RewardsShape,
    double[] InitialDistribution)
{
    /// <summary>Whether rewards depend on the next state.</summary>
    public bool RewardsDependOnNext => RewardsShape.Length == 4
        || (RewardsShape.Length == 3 && RewardsShape[0] == StateCount && RewardsShape[1] == ActionCount && RewardsShape[2] == StateCount);

    /// <summary>Largest |reward| (1 for an all-zero reward), the scale for tolerances.</summary>
    public double RewardScale => Math.Max(1, Rewards.Max(Math.Abs));

    /// <summary>P_h(s'|s,a).</summary>
    public double P(int h, int s, int a, int next)
        => Transitions[((TransitionStages == 1 ? 0 : h) * StateCount * ActionCount + s * ActionCount + a) * StateCount + next];

    /// <summary>Validates and builds the model through <see cref="MdpBuilder"/> (CSR or dense keys, as drawn).</summary>
    public Mdp Build() => Builder().Build();

    /// <summary>The builder this case would use, for tests that change one key.</summary>
    public MdpBuilder Builder() => WithRewards(Rewards, RewardsShape);

    /// <summary>A builder for the same dynamics with other rewards.</summary>
    public MdpBuilder WithRewards(double[] rewards, long[] shape)
    {
        var b = new MdpBuilder
        {
            StateCount = StateCount,
            ActionCount = ActionCount,
            Discount = Discount,
            Horizon = Horizon,
            Rewards = (double[])rewards.Clone(),
            RewardsShape = (long[])shape.Clone(),
            InitialDistribution = (double[])InitialDistribution.Clone(),
        };
        if (UseCsr)
        {
            var (indptr, indices, data) = ToCsr(Transitions, StateCount);
            b.TransitionRowPointers = indptr;
            b.TransitionColumns = indices;
            b.TransitionProbabilities = data;
        }
        else
        {
            b.DenseTransitions = (double[])Transitions.Clone();
            b.DenseTransitionsShape = TransitionStages == 1
                ? [StateCount, ActionCount, StateCount]
                : [TransitionStages, StateCount, ActionCount, StateCount];
        }
        return b;
    }

    /// <summary>Expected rewards rbar_h(s,a) computed here, independently of the engine: [stages*S*A] with stages 1 or H.</summary>
    public double[] ExpectedRewards()
    {
        int S = StateCount, A = ActionCount;
        bool next = RewardsDependOnNext;
        int rewardStages = RewardsShape.Length == 4 || (!next && RewardsShape.Length == 3) ? (int)RewardsShape[0] : 1;
        int stages = Math.Max(rewardStages, next ? TransitionStages : 1);
        var rbar = new double[stages * S * A];
        for (int h = 0; h < stages; h++)
            for (int s = 0; s < S; s++)
                for (int a = 0; a < A; a++)
                {
                    int rh = rewardStages == 1 ? 0 : h;
                    if (!next)
                    {
                        rbar[(h * S + s) * A + a] = Rewards[(rh * S + s) * A + a];
                        continue;
                    }
                    double sum = 0;
                    for (int n = 0; n < S; n++)
                    {
                        double p = P(h, s, a, n);
                        if (p != 0) sum += p * Rewards[((rh * S + s) * A + a) * S + n];
                    }
                    rbar[(h * S + s) * A + a] = sum;
                }
        return rbar;
    }

    /// <summary>Dense [rows*S] to CSR, dropping zeros.</summary>
    public static (long[] Indptr, int[] Indices, double[] Data) ToCsr(double[] dense, int stateCount)
    {
        int rows = dense.Length / stateCount;
        var indptr = new long[rows + 1];
        var indices = new List<int>();
        var data = new List<double>();
        for (int row = 0; row < rows; row++)
        {
            for (int n = 0; n < stateCount; n++)
            {
                double p = dense[row * stateCount + n];
                if (p == 0) continue;
                indices.Add(n);
                data.Add(p);
            }
            indptr[row + 1] = indices.Count;
        }
        return (indptr, indices.ToArray(), data.ToArray());
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append($"ModelCase S={StateCount} A={ActionCount} gamma={R(Discount)} H={(Horizon?.ToString() ?? "none")} ");
        text.Append($"transition stages={TransitionStages} keys={(UseCsr ? "csr" : "dense")}\n");
        int S = StateCount, A = ActionCount;
        for (int h = 0; h < TransitionStages; h++)
            for (int s = 0; s < S; s++)
                for (int a = 0; a < A; a++)
                {
                    text.Append(TransitionStages == 1 ? $"  P(s={s}, a={a}) = {{" : $"  P(h={h}, s={s}, a={a}) = {{");
                    bool first = true;
                    for (int n = 0; n < S; n++)
                    {
                        double p = P(h, s, a, n);
                        if (p == 0) continue;
                        text.Append(first ? "" : ", ").Append(n).Append(": ").Append(R(p));
                        first = false;
                    }
                    text.Append("}\n");
                }
        text.Append($"  rewards shape ({string.Join(", ", RewardsShape)}) = {Vector(Rewards)}\n");
        text.Append($"  mu0 = {Vector(InitialDistribution)}");
        return text.ToString();
    }

    /// <summary>Round-trip formatting, so a printed case can be pasted back.</summary>
    public static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A vector as [x0, x1, ...] in round-trip form.</summary>
    public static string Vector(IEnumerable<double> xs) => "[" + string.Join(", ", xs.Select(R)) + "]";
}
