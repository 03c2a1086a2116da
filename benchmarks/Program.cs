using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace TabularRL.Benchmarks;

/// <summary>Runs the BenchmarkDotNet suites: <c>dotnet run -c Release --project benchmarks -- --filter '*'</c> (see benchmarks/README.md).</summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddColumn(new BandwidthColumn(), new SpeedupColumn());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
