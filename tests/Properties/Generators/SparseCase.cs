using FsCheck;
using FsCheck.Fluent;
using TabularRL.Kernels;

namespace TabularRL.Tests.Generators;

/// <summary>
/// Raw CSR rows for <c>Multiply</c>, where rows may be empty: signed entries in [-1, 1] and an input vector of the
/// given magnitude with random signs, rebuilt from a seed. Row r has (k r + offset) mod n entries with
/// n = min(64, columns) + 1 and k coprime to n: every possible length 0..min(64, columns) occurs in every n consecutive rows. When <see cref="Unbalanced"/>, the first
/// rows/50 and every 97th row have 33..64 entries and the rest 0..2 instead. Rows alternate between containing neither,
/// column 0, the last column, or both.
/// </summary>
public sealed record SparseCase(int Rows, int Columns, bool Unbalanced, double Magnitude, int Seed)
{
    private readonly Lazy<(SparseRows Matrix, ReadOnlyMemory<double> X)> _data = new(() => Make(Rows, Columns, Unbalanced, Magnitude, Seed));

    /// <summary>[Rows] CSR rows over <see cref="Columns"/> columns, with absolute offsets into larger arrays.</summary>
    public SparseRows Matrix => _data.Value.Matrix;

    /// <summary>[Columns] input vector.</summary>
    public ReadOnlyMemory<double> X => _data.Value.X;

    public override string ToString()
        => $"SparseCase(rows={Rows}, columns={Columns}, unbalanced={Unbalanced}, magnitude={ModelCase.R(Magnitude)}, seed={Seed})";

    /// <summary>1..200 or 5000 rows (three blocks of 2048), 1..100, 3 or 5000 columns, magnitudes 1, 1e-300 and 1e300.</summary>
    public static Arbitrary<SparseCase> Arbitrary()
        => (from rows in Gen.OneOf(Gen.Choose(1, 200), Gen.Constant(5000))
            from columns in Gen.OneOf(Gen.Choose(1, 100), Gen.Elements(3, 5000))
            from unbalanced in Gen.Elements(false, false, true)
            from magnitude in Gen.Elements(1.0, 1e-300, 1e300)
            from seed in Gen.Choose(0, int.MaxValue)
            select new SparseCase(rows, columns, unbalanced, magnitude, seed)).ToArbitrary();

    private static (SparseRows, ReadOnlyMemory<double>) Make(int rows, int columnCount, bool unbalanced, double magnitude, int seed)
    {
        var random = new System.Random(seed);
        // Lengths cycle through 0..n-1 with n = min(64, columns) + 1; a stride coprime to n visits each once per n rows.
        int cycle = Math.Min(64, columnCount) + 1;
        int stride = 1 + random.Next(cycle), offset = random.Next(cycle);
        while (Gcd(stride, cycle) != 1) stride++;
        var indptr = new long[rows + 1];
        var columns = new List<int>();
        var values = new List<double>();
        for (int row = 0; row < rows; row++)
        {
            int length = unbalanced
                ? (row < rows / 50 || row % 97 == 0 ? random.Next(33, 65) : random.Next(0, 3))
                : (int)(((long)stride * row + offset) % cycle);
            foreach (int column in KernelModel.DistinctColumns(random, columnCount, length, first: (row & 1) != 0, last: (row & 2) != 0))
            {
                columns.Add(column);
                values.Add(2 * random.NextDouble() - 1);
            }
            indptr[row + 1] = columns.Count;
        }
        var x = new double[columnCount];
        for (int i = 0; i < columnCount; i++) x[i] = (2 * random.NextDouble() - 1) * magnitude;
        return (Padded.Rows(indptr, columns.ToArray(), values.ToArray()), Padded.Around(x));
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
