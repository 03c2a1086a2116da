using FsCheck;
using FsCheck.Fluent;
using TabularRL.Kernels;

namespace TabularRL.Tests.Generators;

/// <summary>The layout of the transition rows of a kernel test case.</summary>
public enum KernelShape
{
    /// <summary>Rows of 1..S entries (S small).</summary>
    Small,

    /// <summary>
    /// Row r has 1 + (k r + offset) mod 64 entries with k odd: every length 1..64 occurs in every 64 consecutive rows,
    /// the actions of a state have different lengths, and most lengths are not multiples of 4 or 8. Needs S &gt;= 64.
    /// </summary>
    RowLengths,

    /// <summary>
    /// A few heavy states (the first S/50 and every 97th) have rows of 33..64 entries, the rest one entry: the first 2%
    /// of the states hold about 40% of the entries, so a partition balanced by entries differs from one balanced by states.
    /// </summary>
    Unbalanced,

    /// <summary>A = 1, rows of 1..S entries.</summary>
    SingleAction,

    /// <summary>Every even state is absorbing (p(s|s,a) = 1 for every action); odd states have rows of 1..S entries.</summary>
    Absorbing,

    /// <summary>Every row has exactly one entry (deterministic transitions).</summary>
    OneEntry,
}

/// <summary>
/// A kernel test case: a few drawn parameters and a seed from which <see cref="Model"/> is rebuilt deterministically, so
/// a failing case prints as one line and replays exactly. In every shape the rows alternate between containing neither,
/// column 0, column S-1, or both, so gathers at both ends of V are exercised.
/// </summary>
public sealed record KernelCase(KernelShape Shape, int StateCount, int ActionCount, double Discount, double Magnitude, double Temperature, int Seed)
{
    private readonly Lazy<KernelModel> _model = new(() => Make(Shape, StateCount, ActionCount, Discount, Magnitude, Seed));

    /// <summary>The model's arrays.</summary>
    public KernelModel Model => _model.Value;

    /// <summary>The problem the backups read.</summary>
    public BellmanProblem Problem => Model.Problem;

    public override string ToString()
        => $"KernelCase(shape={Shape}, S={StateCount}, A={ActionCount}, gamma={ModelCase.R(Discount)}, magnitude={ModelCase.R(Magnitude)}, temperature={ModelCase.R(Temperature)}, seed={Seed})";

    /// <summary>The given shapes (all when none), gamma in [0, 1], magnitudes 1, 1e-300 and 1e300, temperatures 1e-8..1e8.</summary>
    /// <remarks>
    /// Small shapes have S in 1..12 and A in 1..4. <see cref="KernelShape.RowLengths"/> has S = 67 (A in 1..4) or
    /// S = 5000 (A in 1..3): three blocks of 2048 states. <see cref="KernelShape.Unbalanced"/> has S = 5000, A in 1..3.
    /// With |r|, |v| &lt;= 1e300 and gamma &lt;= 1 every Q is at most 2e300, so no draw overflows.
    /// </remarks>
    public static Arbitrary<KernelCase> Arbitrary(params KernelShape[] shapes)
        => (from shape in Gen.Elements(shapes.Length == 0 ? Enum.GetValues<KernelShape>() : shapes)
            from S in shape switch
            {
                KernelShape.RowLengths => Gen.Elements(67, 5000),
                KernelShape.Unbalanced => Gen.Constant(5000),
                _ => Gen.Choose(1, 12),
            }
            from A in shape == KernelShape.SingleAction ? Gen.Constant(1) : Gen.Choose(1, S > 1000 ? 3 : 4)
            from gamma in Gen.OneOf(ModelGenerators.Discount, Gen.Constant(1.0))
            from magnitude in Gen.Elements(1.0, 1.0, 1e-300, 1e300)
            from temperature in Gen.Elements(1e-8, 1e-4, 1.0, 1e4, 1e8)
            from seed in Gen.Choose(0, int.MaxValue)
            select new KernelCase(shape, S, A, gamma, magnitude, temperature, seed)).ToArbitrary();

    private static KernelModel Make(KernelShape shape, int S, int A, double gamma, double magnitude, int seed)
    {
        // The stride and offset of the RowLengths cycle come from the seed, so different cases put lengths elsewhere.
        var layout = new System.Random(~seed);
        int stride = 2 * layout.Next(32) + 1, offset = layout.Next(64);
        return KernelModel.Create(S, A, gamma, magnitude, seed, (row, random) =>
        {
            int s = row / A;
            if (shape == KernelShape.Absorbing && s % 2 == 0)
                return [s];
            int length = shape switch
            {
                KernelShape.RowLengths => 1 + (int)(((long)stride * row + offset) % 64),
                KernelShape.Unbalanced => s < S / 50 || s % 97 == 0 ? random.Next(33, 65) : 1,
                KernelShape.OneEntry => 1,
                _ => random.Next(1, S + 1),
            };
            return KernelModel.DistinctColumns(random, S, length, first: (row & 1) != 0, last: (row & 2) != 0);
        });
    }
}
