using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TabularRL.Kernels.Measurement;

/// <summary>
/// Measures the memory bandwidth a process can reach with the STREAM triad a[i] = b[i] + q c[i], the yardstick that
/// the effective bandwidth of a Bellman sweep is compared with.
/// </summary>
/// <remarks>
/// After McCalpin's STREAM (https://www.cs.virginia.edu/stream/): three arrays far larger than the last-level cache,
/// 24 bytes counted per element (read b[i] and c[i], write a[i]), the best of several repetitions reported. Each
/// thread owns one contiguous slice and touches it first, so that on a multi-socket machine its pages sit on its own
/// node. Stores bypass the cache (non-temporal), as optimising compilers emit them for STREAM: with ordinary stores
/// every written line is first read (write-allocate), traffic the 24-byte convention does not count, so the figure
/// would be about three quarters of what the memory system delivers (on the 2-core development VM, about 31 GB/s
/// instead of about 45 GB/s with two threads).
/// </remarks>
public static class TriadBandwidth
{
    /// <summary>Elements per array by default: 2^24 doubles, so 3 arrays hold 384 MiB, far beyond a 32 MiB L3.</summary>
    public const long DefaultElementsPerArray = 1L << 24;

    /// <summary>Timed repetitions by default; STREAM uses 10.</summary>
    public const int DefaultRepetitions = 10;

    /// <summary>Bytes counted per element: read b[i] and c[i], write a[i].</summary>
    public const int BytesPerElement = 3 * sizeof(double);

    // STREAM's scalar.
    private const double Scalar = 3.0;

    // Slices start on 64-byte cache lines, so that no line is written by two threads and aligned stores are legal.
    private const int LineDoubles = 64 / sizeof(double);

    /// <summary>The number of elements per array that makes the three arrays total <paramref name="megabytes"/> MiB.</summary>
    /// <param name="megabytes">Total size of the three arrays in MiB (2^20 bytes), at least 1.</param>
    public static long ElementsForMegabytes(int megabytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(megabytes, 1);
        return (long)megabytes * (1 << 20) / BytesPerElement;
    }

    /// <summary>Runs the triad on <paramref name="threads"/> threads and returns the best and median bandwidth.</summary>
    /// <param name="elementsPerArray">Length of each of the three arrays, at least 1.</param>
    /// <param name="threads">Threads, each owning one contiguous slice; 0 means one per processor.</param>
    /// <param name="repetitions">Timed repetitions after one untimed warm-up, at least 1.</param>
    /// <param name="nonTemporal">Stores bypass the cache (no write-allocate read); false gives ordinary stores.</param>
    /// <returns>The bandwidths, with 24 bytes counted per element.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the message names it and its value.</exception>
    public static TriadResult Measure(long elementsPerArray = DefaultElementsPerArray, int threads = 0, int repetitions = DefaultRepetitions, bool nonTemporal = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elementsPerArray, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        int threadCount = threads == 0 ? Environment.ProcessorCount : threads;
        // Slices are whole cache lines, so threads beyond one per line would only idle.
        threadCount = (int)Math.Min(threadCount, (elementsPerArray + LineDoubles - 1) / LineDoubles);
        using var arrays = new TriadArrays(elementsPerArray);
        var seconds = arrays.Run(threadCount, repetitions, nonTemporal);
        Array.Sort(seconds);
        double median = seconds.Length % 2 == 1 ? seconds[seconds.Length / 2] : 0.5 * (seconds[seconds.Length / 2 - 1] + seconds[seconds.Length / 2]);
        double bytes = (double)elementsPerArray * BytesPerElement;
        return new TriadResult(threadCount, elementsPerArray, repetitions, bytes / seconds[0] / 1e9, bytes / median / 1e9, seconds[0] * 1e3, median * 1e3);
    }

    /// <summary>The three arrays in aligned native memory and the threads that sweep them.</summary>
    private sealed unsafe class TriadArrays : IDisposable
    {
        private readonly long _length;
        private double* _a, _b, _c;

        public TriadArrays(long length)
        {
            _length = length;
            // Native, page-aligned and not yet touched: the pages are placed by the first thread that writes them.
            nuint bytes = checked((nuint)length * sizeof(double));
            _a = (double*)NativeMemory.AlignedAlloc(bytes, 4096);
            _b = (double*)NativeMemory.AlignedAlloc(bytes, 4096);
            _c = (double*)NativeMemory.AlignedAlloc(bytes, 4096);
        }

        /// <summary>Initialises and then times <paramref name="repetitions"/> triads; returns the seconds of each.</summary>
        public double[] Run(int threadCount, int repetitions, bool nonTemporal)
        {
            var seconds = new double[repetitions];
            using var barrier = new Barrier(threadCount);
            Exception? failure = null;
            var workers = new Thread[threadCount - 1];
            for (int t = 1; t < threadCount; t++)
            {
                int id = t;
                workers[t - 1] = new Thread(() =>
                {
                    try
                    {
                        Work(id, threadCount, repetitions, nonTemporal, barrier, null);
                    }
                    catch (Exception e)
                    {
                        // A failed worker must not leave the others waiting at the barrier forever.
                        failure = e;
                        barrier.RemoveParticipant();
                    }
                }) { IsBackground = true, Name = $"triad-{id}" };
                workers[t - 1].Start();
            }
            // The calling thread is worker 0 and the timekeeper: it leaves each timed phase only when all threads have.
            Work(0, threadCount, repetitions, nonTemporal, barrier, seconds);
            foreach (var worker in workers) worker.Join();
            if (failure is not null) throw new InvalidOperationException("a triad thread failed", failure);
            return seconds;
        }

        private void Work(int id, int threadCount, int repetitions, bool nonTemporal, Barrier barrier, double[]? seconds)
        {
            long start = SliceStart(id, threadCount), end = SliceStart(id + 1, threadCount);
            double* a = _a + start, b = _b + start, c = _c + start;
            long count = end - start;
            for (long i = 0; i < count; i++)
            {
                a[i] = 0;
                b[i] = 1;
                c[i] = 2;
            }
            barrier.SignalAndWait();
            // Repetition -1 is the warm-up: it settles clocks and TLBs and is not timed.
            for (int r = -1; r < repetitions; r++)
            {
                barrier.SignalAndWait();
                long started = Stopwatch.GetTimestamp();
                Triad(a, b, c, count, nonTemporal);
                // The barrier's interlocked operations also fence the non-temporal stores, so they count as done.
                barrier.SignalAndWait();
                if (seconds is not null && r >= 0)
                    seconds[r] = Math.Max(Stopwatch.GetTimestamp() - started, 1) / (double)Stopwatch.Frequency;
            }
        }

        // Slice boundaries on whole cache lines; the last slice takes the remainder.
        private long SliceStart(int id, int threadCount)
            => id == threadCount ? _length : Math.Min(_length, _length * id / threadCount / LineDoubles * LineDoubles);

        // a and the slice start are 64-byte aligned (page-aligned base, line-aligned slice), so aligned stores are legal.
        private static void Triad(double* a, double* b, double* c, long count, bool nonTemporal)
        {
            long i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var q = Vector512.Create(Scalar);
                for (; i <= count - 2 * Vector512<double>.Count; i += 2 * Vector512<double>.Count)
                {
                    // Two independent vectors per iteration keep two loads in flight per array.
                    var x0 = Vector512.Load(b + i) + q * Vector512.Load(c + i);
                    var x1 = Vector512.Load(b + i + Vector512<double>.Count) + q * Vector512.Load(c + i + Vector512<double>.Count);
                    if (nonTemporal)
                    {
                        Vector512.StoreAlignedNonTemporal(x0, a + i);
                        Vector512.StoreAlignedNonTemporal(x1, a + i + Vector512<double>.Count);
                    }
                    else
                    {
                        Vector512.StoreAligned(x0, a + i);
                        Vector512.StoreAligned(x1, a + i + Vector512<double>.Count);
                    }
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                var q = Vector256.Create(Scalar);
                for (; i <= count - Vector256<double>.Count; i += Vector256<double>.Count)
                {
                    var x = Vector256.Load(b + i) + q * Vector256.Load(c + i);
                    if (nonTemporal) Vector256.StoreAlignedNonTemporal(x, a + i);
                    else Vector256.StoreAligned(x, a + i);
                }
            }
            for (; i < count; i++)
                a[i] = b[i] + Scalar * c[i];
        }

        public void Dispose()
        {
            NativeMemory.AlignedFree(_a);
            NativeMemory.AlignedFree(_b);
            NativeMemory.AlignedFree(_c);
            _a = _b = _c = null;
        }
    }
}

/// <summary>The outcome of a triad measurement.</summary>
/// <param name="Threads">Threads that ran it.</param>
/// <param name="ElementsPerArray">Length of each of the three arrays.</param>
/// <param name="Repetitions">Timed repetitions.</param>
/// <param name="BestGBps">Bandwidth of the fastest repetition in GB/s (10^9 bytes per second), STREAM's figure.</param>
/// <param name="MedianGBps">Bandwidth of the median repetition in GB/s.</param>
/// <param name="BestMilliseconds">Time of the fastest repetition.</param>
/// <param name="MedianMilliseconds">Time of the median repetition.</param>
public sealed record TriadResult(int Threads, long ElementsPerArray, int Repetitions, double BestGBps, double MedianGBps,
    double BestMilliseconds, double MedianMilliseconds)
{
    /// <summary>Bytes counted per repetition: 24 per element.</summary>
    public long BytesPerRepetition => ElementsPerArray * TriadBandwidth.BytesPerElement;

    /// <summary>Total size of the three arrays in MiB.</summary>
    public double Megabytes => 3.0 * ElementsPerArray * sizeof(double) / (1 << 20);
}
