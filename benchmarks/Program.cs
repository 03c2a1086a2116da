using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace TabularRL.Benchmarks;

/// <summary>Runs the BenchmarkDotNet suites: <c>dotnet run -c Release --project benchmarks -- --filter '*'</c> (see benchmarks/README.md);
/// <c>-- targets</c> prints the ratios measured in one run instead.</summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "targets")
        {
            Targets.TargetsReport.Run(quick: args.Contains("--quick"));
            return;
        }
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddColumn(new BandwidthColumn(), new SpeedupColumn());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
