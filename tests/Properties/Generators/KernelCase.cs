using FsCheck;
using FsCheck.Fluent;
using TabularRL.Kernels;

namespace TabularRL.Tests.Generators;

/// <summary>The shape of a kernel test case.</summary>
public enum KernelShape
{
    /// <summary>S in 1..12, A in 1..4, rows of 1..S entries.</summary>
    Small,

    /// <summary>S = 80, rows of every length 1..64 (row r has length 1 + r mod 64).</summary>
    RowLengths,

    /// <summary>S = 5000 (three blocks of 2048 states), A in 1..2, rows of 1..4 entries: exercises the threads.</summary>
    Large,

    /// <summary>A single action.</summary>
    SingleAction,

    /// <summary>Every other state absorbing (a self-loop for every action).</summary>
    Absorbing,
}

/// <summary>
/// The raw arrays of one Bellman-kernel call, rebuilt deterministically from a few drawn parameters and a seed, so a
/// failing case prints as one line and replays exactly. Rows are stochastic (models require it), rewards and values
/// have magnitude <see cref="Magnitude"/>, the KL reference and the stochastic policy have zeros.
/// </summary>
public sealed record KernelCase(KernelShape Shape, int StateCount, int ActionCount, double Discount, double Magnitude, double Temperature, int Seed)
{
    private readonly Lazy<Arrays> _arrays = new(() => Make(Shape, StateCount, ActionCount, Magnitude, Seed));

    public sealed record Arrays(long[] Indptr, int[] Columns, double[] Values, double[] RewardsSA, double[] VS,
        double[] LogReferenceSA, double[] PolicySA, int[] ActionsS);

    public Arrays Data => _arrays.Value;

    public BellmanProblem Problem => new(new SparseRows(Data.Indptr, Data.Columns, Data.Values), Data.RewardsSA, StateCount, ActionCount, Discount);

    public override string ToString()
        => $"KernelCase(shape={Shape}, S={StateCount}, A={ActionCount}, gamma={ModelCase.R(Discount)}, magnitude={ModelCase.R(Magnitude)}, temperature={ModelCase.R(Temperature)}, seed={Seed})";

    /// <summary>All shapes, magnitudes 1, 1e-300 and 1e300, temperatures 1e-8..1e8.</summary>
    public static Arbitrary<KernelCase> Arbitrary(params KernelShape[] shapes)
        => (from shape in Gen.Elements(shapes.Length == 0 ? Enum.GetValues<KernelShape>() : shapes)
            from S in shape switch
            {
                KernelShape.Small or KernelShape.SingleAction or KernelShape.Absorbing => Gen.Choose(1, 12),
                KernelShape.RowLengths => Gen.Constant(80),
                _ => Gen.Constant(5000),
            }
            from A in shape switch
            {
                KernelShape.SingleAction => Gen.Constant(1),
                KernelShape.Large => Gen.Choose(1, 2),
                _ => Gen.Choose(1, 4),
            }
            from gamma in Gen.OneOf(ModelGenerators.Discount, Gen.Constant(1.0))
            from magnitude in Gen.Elements(1.0, 1.0, 1e-300, 1e300)
            from temperature in Gen.Elements(1e-8, 1e-4, 1.0, 1e4, 1e8)
            from seed in Gen.Choose(0, int.MaxValue)
            select new KernelCase(shape, S, A, gamma, magnitude, temperature, seed)).ToArbitrary();

    private static Arrays Make(KernelShape shape, int S, int A, double magnitude, int seed)
    {
        var random = new System.Random(seed);
        int rows = S * A;
        var indptr = new long[rows + 1];
        var columns = new List<int>();
        var values = new List<double>();
        for (int row = 0; row < rows; row++)
        {
            int s = row / A;
            int[] next;
            if (shape == KernelShape.Absorbing && s % 2 == 0)
                next = [s];
            else
            {
                int length = shape switch
                {
                    KernelShape.RowLengths => 1 + row % 64,
                    KernelShape.Large => random.Next(1, 5),
                    _ => random.Next(1, S + 1),
                };
                var chosen = new HashSet<int>();
                while (chosen.Count < Math.Min(length, S)) chosen.Add(random.Next(S));
                next = chosen.Order().ToArray();
            }
            var weights = next.Select(_ => 0.05 + random.NextDouble()).ToArray();
            double total = weights.Sum();
            columns.AddRange(next);
            values.AddRange(weights.Select(w => w / total));
            indptr[row + 1] = columns.Count;
        }
        var rewards = Enumerable.Range(0, rows).Select(_ => (2 * random.NextDouble() - 1) * magnitude).ToArray();
        var v = Enumerable.Range(0, S).Select(_ => (2 * random.NextDouble() - 1) * magnitude).ToArray();
        var logReference = new double[rows];
        var policy = new double[rows];
        for (int s = 0; s < S; s++)
        {
            int keep = random.Next(A);
            double refTotal = 0, piTotal = 0;
            for (int a = 0; a < A; a++)
            {
                int i = s * A + a;
                logReference[i] = a == keep || random.NextDouble() < 0.6 ? 0.05 + random.NextDouble() : 0;
                policy[i] = a == keep || random.NextDouble() < 0.6 ? 0.05 + random.NextDouble() : 0;
                refTotal += logReference[i];
                piTotal += policy[i];
            }
            for (int a = 0; a < A; a++)
            {
                int i = s * A + a;
                logReference[i] = logReference[i] > 0 ? Math.Log(logReference[i] / refTotal) : double.NegativeInfinity;
                policy[i] /= piTotal;
            }
        }
        var actions = Enumerable.Range(0, S).Select(_ => random.Next(A)).ToArray();
        return new Arrays(indptr, columns.ToArray(), values.ToArray(), rewards, v, logReference, policy, actions);
    }
}
