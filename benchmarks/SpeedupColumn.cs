using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TabularRL.Benchmarks;

/// <summary>The speed-up over the scalar reference: the mean of the "reference" twin of a case divided by the case's mean.</summary>
/// <remarks>
/// BenchmarkDotNet's own Ratio column compares methods (<c>Baseline = true</c> marks one method), but here the backend
/// is a parameter, so that a new backend is one more <c>[Params]</c> value rather than one more method in every
/// suite. The twin is the case with the same class, method, job and parameters except <c>Backend = "reference"</c>.
/// </remarks>
internal sealed class SpeedupColumn : IColumn
{
    private const string BackendParameter = "Backend";
    private const string Baseline = "reference";

    /// <inheritdoc/>
    public string Id => nameof(SpeedupColumn);

    /// <inheritdoc/>
    public string ColumnName => "Speed-up";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 1;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => "Mean time of the same case on the reference backend / mean time of this case (1.00 on reference rows)";

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) =>
        summary.BenchmarksCases.Any(c => BandwidthColumn.ParameterValue(c, BackendParameter) is not null);

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (BandwidthColumn.ParameterValue(benchmarkCase, BackendParameter) is null) return "-";
        string key = TwinKey(benchmarkCase);
        var twin = summary.BenchmarksCases.FirstOrDefault(c =>
            Baseline.Equals(BandwidthColumn.ParameterValue(c, BackendParameter) as string, StringComparison.OrdinalIgnoreCase)
            && TwinKey(c) == key);
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        double? baselineMean = twin is null ? null : summary[twin]?.ResultStatistics?.Mean;
        if (mean is not > 0 || baselineMean is not > 0) return "-";
        return (baselineMean.Value / mean.Value).ToString("0.00", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public override string ToString() => ColumnName;

    /// <summary>What a case and its reference twin have in common: everything but the backend.</summary>
    private static string TwinKey(BenchmarkCase c) =>
        string.Join("|",
            c.Descriptor.Type.FullName, c.Descriptor.WorkloadMethod.Name, c.Job.Id,
            string.Join(",", c.Parameters.Items.Where(p => p.Name != BackendParameter).Select(p => $"{p.Name}={p.Value}")));
}
