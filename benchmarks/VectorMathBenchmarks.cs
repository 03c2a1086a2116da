using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using TabularRL.Kernels.Rows;

namespace TabularRL.Benchmarks;

/// <summary>
/// The log-sum-exp's exp and log (<see cref="VectorExp"/>, <see cref="VectorLog"/>) against the runtime's
/// <see cref="Vector512.Exp(Vector512{double})"/> and <see cref="Vector512.Log(Vector512{double})"/>, on 1024 vectors of eight lanes in the
/// ranges the soft backup feeds them: exp of x in [-30, 0], log of sums in [1, 8].
/// </summary>
/// <remarks>Run with <c>dotnet run -c Release --project benchmarks -- --filter '*VectorMath*'</c>; ns per operation / 1024 is per vector.</remarks>
public class VectorMathBenchmarks
{
    private const int Vectors = 1024;
    private Vector512<double>[] _exponents = [], _sums = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _exponents = new Vector512<double>[Vectors];
        _sums = new Vector512<double>[Vectors];
        var lanes = new double[8];
        for (int i = 0; i < Vectors; i++)
        {
            for (int j = 0; j < 8; j++) lanes[j] = -30 * random.NextDouble();
            _exponents[i] = Vector512.Create(lanes);
            for (int j = 0; j < 8; j++) lanes[j] = 1 + 7 * random.NextDouble();
            _sums[i] = Vector512.Create(lanes);
        }
    }

    // Each result is added in so that the JIT keeps every call; the calls do not depend on one another, so this
    // measures throughput, not latency.
    [Benchmark(Baseline = true)]
    public Vector512<double> OwnExp()
    {
        var total = Vector512<double>.Zero;
        foreach (var x in _exponents) total += VectorExp.Exp(x);
        return total;
    }

    [Benchmark]
    public Vector512<double> RuntimeExp()
    {
        var total = Vector512<double>.Zero;
        foreach (var x in _exponents) total += Vector512.Exp(x);
        return total;
    }

    [Benchmark]
    public Vector512<double> OwnLog()
    {
        var total = Vector512<double>.Zero;
        foreach (var x in _sums) total += VectorLog.Log(x);
        return total;
    }

    [Benchmark]
    public Vector512<double> RuntimeLog()
    {
        var total = Vector512<double>.Zero;
        foreach (var x in _sums) total += Vector512.Log(x);
        return total;
    }
}
