using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TabularRL.Benchmarks;

/// <summary>The effective bandwidth of a sweep: compulsory bytes (see <see cref="SweepTrafficAttribute.CompulsoryBytes"/>) over the mean time.</summary>
/// <remarks>
/// Shown for benchmarks marked with <see cref="SweepTrafficAttribute"/> and a <c>States</c> parameter; "-" elsewhere
/// (a solve runs an unknown number of sweeps). GB are 10^9 bytes, so bytes per nanosecond are GB/s. Comparing the
/// figure with the machine's stream (triad) bandwidth tells how far a kernel is from the memory bound; at S = 10^4 the
/// model fits in cache and the figure can exceed it.
/// </remarks>
internal sealed class BandwidthColumn : IColumn
{
    /// <inheritdoc/>
    public string Id => nameof(BandwidthColumn);

    /// <inheritdoc/>
    public string ColumnName => "GB/s";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => "Effective bandwidth: compulsory bytes per sweep (12 nnz + 16 S A + 20 S; policy sweep 12 nnz_pi + 16 S + 20 S) / mean time, GB = 10^9 B";

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => Traffic(c) is not null);

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var traffic = Traffic(benchmarkCase);
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (traffic is null || meanNs is not > 0 || ParameterValue(benchmarkCase, "States") is not int states) return "-";
        double bytes = traffic.CompulsoryBytes(states, BenchmarkModels.Actions, BenchmarkModels.Branching);
        return (bytes / meanNs.Value).ToString("0.00", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public override string ToString() => ColumnName;

    /// <summary>The value of the parameter called <paramref name="name"/>, or null when the case has none.</summary>
    internal static object? ParameterValue(BenchmarkCase benchmarkCase, string name) =>
        benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value;

    private static SweepTrafficAttribute? Traffic(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<SweepTrafficAttribute>();
}
