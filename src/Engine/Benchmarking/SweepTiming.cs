namespace TabularRL.Engine.Benchmarking;

/// <summary>The timing of one sweep method, with the traffic it must move at least.</summary>
/// <param name="Method">The method timed.</param>
/// <param name="Sweeps">Number of timed sweeps.</param>
/// <param name="MedianMilliseconds">Median time of one sweep.</param>
/// <param name="MinMilliseconds">Fastest sweep.</param>
/// <param name="BytesPerSweep">Compulsory bytes of one sweep (<see cref="SweepBenchmark.CompulsoryBytes(in TabularRL.Kernels.BellmanProblem)"/>).</param>
public sealed record SweepTiming(SweepMethod Method, int Sweeps, double MedianMilliseconds, double MinMilliseconds, long BytesPerSweep)
{
    /// <summary>The short name of <see cref="Method"/>.</summary>
    public string Name => Method.Name();

    /// <summary>Compulsory bytes over the median time, in GB/s (10^9 bytes per second).</summary>
    public double EffectiveGBps => BytesPerSweep / (MedianMilliseconds * 1e6);
}
