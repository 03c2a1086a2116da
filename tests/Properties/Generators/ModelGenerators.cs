using FsCheck;
using FsCheck.Fluent;

namespace TabularRL.Tests.Generators;

/// <summary>FsCheck generators for models, rewards, potentials and policies.</summary>
/// <remarks>
/// They mirror the strategies of the EPIC reference code's tests (random MDPs with sparse and dense transitions and
/// some impossible transitions, rewards over (s,a) and (s,a,s') including on impossible transitions, potentials,
/// deterministic and stochastic policies): S in 1..12, A in 1..4, rows with 1..K next states, gamma from
/// {0, 0.5, 0.9, 0.99, 0.999} or uniform in [0, 0.999]; finite-horizon models with H in 1..5, stage-dependent or not,
/// gamma in [0, 1]. No shrinkers: a failing case prints in full and is replayed from its seed.
/// </remarks>
public static class ModelGenerators
{
    /// <summary>Largest number of states drawn.</summary>
    public const int MaxStates = 12;

    /// <summary>Largest number of actions drawn.</summary>
    public const int MaxActions = 4;

    private const int Resolution = 1 << 30;

    /// <summary>Uniform in [lo, hi] on a grid of 2^30 points.</summary>
    public static Gen<double> Uniform(double lo, double hi)
        => Gen.Choose(0, Resolution).Select(i => i == Resolution ? hi : lo + (hi - lo) * (i / (double)Resolution));

    /// <summary>The discount of a discounted model: the named values that stress the bounds, or uniform in [0, 0.999].</summary>
    public static Gen<double> Discount
        => Gen.OneOf(Gen.Elements(0.0, 0.5, 0.9, 0.99, 0.999), Uniform(0, 0.999));

    /// <summary>The discount of a finite-horizon model: uniform in [0, 1], or exactly 0 or 1.</summary>
    public static Gen<double> FiniteDiscount
        => Gen.OneOf(Gen.Elements(0.0, 1.0), Uniform(0, 1));

    /// <summary>One transition row over <paramref name="stateCount"/> next states with 1..<paramref name="maxEntries"/> possible ones.</summary>
    public static Gen<double[]> Row(int stateCount, int maxEntries)
        => from count in Gen.Choose(1, Math.Min(maxEntries, stateCount))
           from order in Gen.Shuffle(Enumerable.Range(0, stateCount).ToArray())
           from weights in Gen.ArrayOf(Uniform(0.05, 1), count)
           select MakeRow(stateCount, order.Take(count).ToArray(), weights);

    private static double[] MakeRow(int stateCount, int[] columns, double[] weights)
    {
        var row = new double[stateCount];
        double total = weights.Sum();
        for (int i = 0; i < columns.Length; i++)
            row[columns[i]] = weights[i] / total;
        return row;
    }

    /// <summary>[rows*S] dense transitions; sparse draws keep 1..3 next states per row, dense draws up to S.</summary>
    public static Gen<double[]> TransitionRows(int rows, int stateCount)
        => from maxEntries in Gen.Elements(1, 2, 3, stateCount)
           from table in Gen.ArrayOf(Row(stateCount, maxEntries), rows)
           select table.SelectMany(r => r).ToArray();

    /// <summary>Reward values: continuous in [-scale, scale], or small integers (which make exact ties common).</summary>
    public static Gen<double[]> RewardValues(int count)
        => Gen.OneOf(
            from scale in Gen.Elements(1.0, 10.0, 100.0)
            from values in Gen.ArrayOf(Uniform(-1, 1), count)
            select values.Select(v => v * scale).ToArray(),
            Gen.ArrayOf(Gen.Choose(-1, 1).Select(i => (double)i), count));

    /// <summary>A distribution over <paramref name="count"/> outcomes, sometimes with zeros (at least one positive entry).</summary>
    public static Gen<double[]> Distribution(int count)
        => from weights in Gen.ArrayOf(Gen.OneOf(Gen.Constant(0.0), Uniform(0.05, 1), Uniform(0.05, 1)), count)
           from keep in Gen.Choose(0, count - 1)
           select Normalise(weights, keep);

    private static double[] Normalise(double[] weights, int keep)
    {
        var w = (double[])weights.Clone();
        if (w.All(x => x == 0)) w[keep] = 1;
        double total = w.Sum();
        return w.Select(x => x / total).ToArray();
    }

    /// <summary>A discounted model; <paramref name="nextStateRewards"/> null draws [S,A] or [S,A,S] rewards.</summary>
    public static Gen<ModelCase> Discounted(bool? nextStateRewards = null, int maxStates = MaxStates, int maxActions = MaxActions)
        => from S in Gen.Choose(1, maxStates)
           from A in Gen.Choose(1, maxActions)
           from gamma in Discount
           from transitions in TransitionRows(S * A, S)
           from csr in Gen.Elements(true, false)
           from sas in nextStateRewards is { } fixedKind ? Gen.Constant(fixedKind) : Gen.Elements(true, false)
           from rewards in RewardValues(sas ? S * A * S : S * A)
           from mu0 in Gen.OneOf(Gen.Constant(Uniform1(S)), Distribution(S))
           select new ModelCase(S, A, gamma, null, 1, transitions, csr, rewards,
               sas ? [S, A, S] : [S, A], mu0);

    /// <summary>A finite-horizon model: H in 1..5, stage-dependent transitions and rewards or not.</summary>
    public static Gen<ModelCase> FiniteHorizon(int maxStates = MaxStates, int maxActions = MaxActions)
        => from S in Gen.Choose(1, maxStates)
           from A in Gen.Choose(1, maxActions)
           from H in Gen.Choose(1, 5)
           from gamma in FiniteDiscount
           from stagedP in Gen.Elements(true, false)
           from transitions in TransitionRows((stagedP ? H : 1) * S * A, S)
           from csr in Gen.Elements(true, false)
           from rewardKind in Gen.Choose(0, 3)
           let shape = RewardShape(rewardKind, H, S, A)
           from rewards in RewardValues((int)shape.Aggregate(1L, (x, y) => x * y))
           from mu0 in Distribution(S)
           select new ModelCase(S, A, gamma, H, stagedP ? H : 1, transitions, csr, rewards, shape, mu0);

    // 0: [S,A], 1: [H,S,A], 2: [S,A,S], 3: [H,S,A,S].
    private static long[] RewardShape(int kind, int H, int S, int A) => kind switch
    {
        0 => [S, A],
        1 => [H, S, A],
        2 => [S, A, S],
        _ => [H, S, A, S],
    };

    private static double[] Uniform1(int count) => Enumerable.Repeat(1.0 / count, count).ToArray();

    /// <summary>A stationary policy [S*A]: deterministic, or stochastic with zeros, drawn per state.</summary>
    public static Gen<double[]> Policy(int stateCount, int actionCount)
        => Gen.ArrayOf(
                Gen.OneOf(
                    Gen.Choose(0, actionCount - 1).Select(a => OneHot(a, actionCount)),
                    Distribution(actionCount)),
                stateCount)
            .Select(rows => rows.SelectMany(r => r).ToArray());

    private static double[] OneHot(int a, int count)
    {
        var row = new double[count];
        row[a] = 1;
        return row;
    }

    /// <summary>A potential Phi [S] of moderate size.</summary>
    public static Gen<double[]> Potential(int stateCount)
        => Gen.OneOf(
            Gen.ArrayOf(Uniform(-10, 10), stateCount),
            Gen.ArrayOf(Gen.Choose(-3, 3).Select(i => (double)i), stateCount));

    /// <summary>A discounted model with a policy.</summary>
    public static Arbitrary<ModelWithPolicy> DiscountedWithPolicy(bool? nextStateRewards = null)
        => (from model in Discounted(nextStateRewards)
            from policy in Policy(model.StateCount, model.ActionCount)
            select new ModelWithPolicy(model, policy)).ToArbitrary();

    /// <summary>A finite-horizon model with a policy of 1 or H stages.</summary>
    public static Arbitrary<ModelWithPolicy> FiniteHorizonWithPolicy()
        => (from model in FiniteHorizon()
            from stages in Gen.Elements(1, model.Horizon!.Value)
            from policy in Gen.ArrayOf(Policy(model.StateCount, model.ActionCount), stages)
            select new ModelWithPolicy(model, policy.SelectMany(p => p).ToArray(), stages)).ToArbitrary();

    /// <summary>A discounted model with [S,A,S] rewards, a potential, a policy and an S'-redistribution seed.</summary>
    public static Arbitrary<ShapingCase> Shaping()
        => (from model in Discounted(nextStateRewards: true)
            from phi in Potential(model.StateCount)
            from policy in Policy(model.StateCount, model.ActionCount)
            from noise in Gen.ArrayOf(Uniform(-5, 5), model.StateCount * model.ActionCount * model.StateCount)
            select new ShapingCase(model, phi, policy, noise)).ToArbitrary();
}

/// <summary>A model and a policy with 1 or H stages.</summary>
public sealed record ModelWithPolicy(ModelCase Model, double[] Policy, int PolicyStages = 1)
{
    public override string ToString() => $"{Model}\n  policy ({PolicyStages} stages) = {ModelCase.Vector(Policy)}";
}

/// <summary>A model with [S,A,S] rewards, a potential Phi, a policy, and raw values for an S'-redistribution.</summary>
public sealed record ShapingCase(ModelCase Model, double[] Potential, double[] Policy, double[] Redistribution)
{
    public override string ToString()
        => $"{Model}\n  phi = {ModelCase.Vector(Potential)}\n  policy = {ModelCase.Vector(Policy)}\n  redistribution = {ModelCase.Vector(Redistribution)}";
}
