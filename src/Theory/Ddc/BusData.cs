using System.Globalization;

namespace TabularRL.Theory.Ddc;

/// <summary>One bus of Rust's (1987) data: its header and its monthly odometer readings.</summary>
/// <param name="Id">The bus id (header row 1).</param>
/// <param name="FirstReplacementOdometer">Odometer at the first engine replacement (header row 6); 0 when none.</param>
/// <param name="SecondReplacementOdometer">Odometer at the second engine replacement (header row 9); 0 when none.</param>
/// <param name="Odometer">[months] the monthly odometer readings (rows 12 on), in miles since purchase.</param>
public sealed record Bus(int Id, double FirstReplacementOdometer, double SecondReplacementOdometer, IReadOnlyList<double> Odometer);

/// <summary>Reads Rust's <c>.asc</c> files: one number per line, a rows x buses matrix stored column by column.</summary>
/// <remarks>
/// The files do not record their shape, so it is taken from Rust's NFXP documentation (data/rust1987/README.md);
/// a file whose count of numbers differs from rows x buses is rejected rather than guessed at.
/// </remarks>
public static class BusData
{
    /// <summary>Header rows before the monthly readings: bus id, month/year purchased, month/year/odometer of the first
    /// and of the second replacement, month/year the data begin (THEORY.md section 7).</summary>
    public const int HeaderRows = 11;

    // Group number (Rust 1987, Table I) -> file and matrix shape; d309 is not one of the paper's groups.
    private static readonly (string File, int Rows, int Buses)[] Groups =
    [
        ("g870.asc", 36, 15),
        ("rt50.asc", 60, 4),
        ("t8h203.asc", 81, 48),
        ("a530875.asc", 128, 37),
        ("a530874.asc", 137, 12),
        ("a452374.asc", 137, 10),
        ("a530872.asc", 137, 18),
        ("a452372.asc", 137, 18),
    ];

    /// <summary>The number of bus groups (1..8).</summary>
    public static int GroupCount => Groups.Length;

    /// <summary>The file name of group <paramref name="group"/> (1-based, as in Rust's tables).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The group is not in 1..8.</exception>
    public static string FileName(int group)
    {
        CheckGroup(group);
        return Groups[group - 1].File;
    }

    /// <summary>Reads the buses of group <paramref name="group"/> from <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder holding the <c>.asc</c> files.</param>
    /// <param name="group">Group number 1..8.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The group's file is missing.</exception>
    /// <exception cref="ArgumentException">A line is not a number, or the count of numbers does not match the group's shape.</exception>
    public static IReadOnlyList<Bus> ReadGroup(string directory, int group)
    {
        CheckGroup(group);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"data directory '{directory}' does not exist");
        var (file, rows, buses) = Groups[group - 1];
        string path = Path.Combine(directory, file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: the file of bus group {group} is missing", path);
        var numbers = ReadNumbers(path);
        if (numbers.Count != rows * buses)
            throw new ArgumentException($"{path}: {numbers.Count} numbers, expected {rows} x {buses} = {rows * buses} for group {group}", nameof(directory));
        var result = new List<Bus>(buses);
        for (int b = 0; b < buses; b++)
        {
            int start = b * rows;
            var odometer = new double[rows - HeaderRows];
            for (int m = 0; m < odometer.Length; m++) odometer[m] = numbers[start + HeaderRows + m];
            result.Add(new Bus((int)numbers[start], numbers[start + 5], numbers[start + 8], odometer));
        }
        return result;
    }

    /// <summary>The numbers of a file, one per non-blank line.</summary>
    /// <exception cref="ArgumentException">A line is not a finite number; the message names the file and the line.</exception>
    public static List<double> ReadNumbers(string path)
    {
        var numbers = new List<double>();
        int line = 0;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            string trimmed = text.Trim();
            if (trimmed.Length == 0) continue;
            if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x))
                throw new ArgumentException($"{path}, line {line}: '{trimmed}' is not a number", nameof(path));
            numbers.Add(x);
        }
        return numbers;
    }

    private static void CheckGroup(int group)
    {
        if (group < 1 || group > Groups.Length)
            throw new ArgumentOutOfRangeException(nameof(group), group, $"bus group {group} does not exist; the groups are 1..{Groups.Length}");
    }
}
