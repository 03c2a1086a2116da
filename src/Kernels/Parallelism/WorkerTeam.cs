namespace TabularRL.Kernels.Parallelism;

/// <summary>One unit of a parallel sweep: part <c>p</c> of <c>PartCount</c> contiguous pieces of work.</summary>
internal interface IPartitionedJob
{
    /// <summary>Runs part <paramref name="part"/>; called once per part per <see cref="WorkerTeam.Run"/>.</summary>
    void Execute(int part);
}

/// <summary>A fixed team of threads that run one job at a time, part p on thread p, without allocating per run.</summary>
/// <remarks>
/// A Bellman sweep over a 1e5-state model takes about a millisecond, so the fork-join cost matters and must not
/// allocate (the thread pool's <c>Parallel.For</c> allocates its loop state on every call). The caller's thread runs
/// part 0; the other parts run on dedicated background threads that block between runs (after a short spin), so that
/// they leave the cores to the caller's serial work between sweeps. Teams are shared per size across the process
/// (<see cref="For"/>): backends need not be disposed to release threads, and concurrent callers take turns.
/// </remarks>
internal sealed class WorkerTeam
{
    private static readonly Lock CacheLock = new();
    private static readonly Dictionary<int, WorkerTeam> Cache = [];

    private readonly Lock _runLock = new();
    private readonly ManualResetEventSlim[] _start;
    private readonly CountdownEvent _done;
    private readonly Exception?[] _failures;
    private IPartitionedJob? _job;

    private WorkerTeam(int size)
    {
        Size = size;
        _start = new ManualResetEventSlim[size - 1];
        _failures = new Exception?[size];
        _done = new CountdownEvent(1);
        for (int i = 0; i < size - 1; i++)
        {
            _start[i] = new ManualResetEventSlim(false, spinCount: 200);
            int part = i + 1;
            var thread = new Thread(() => Work(part)) { IsBackground = true, Name = $"tabrl-worker-{part}/{size}" };
            thread.Start();
        }
    }

    /// <summary>Number of parts (threads, the caller's included).</summary>
    public int Size { get; }

    /// <summary>The process-wide team of <paramref name="size"/> threads, created on first use.</summary>
    public static WorkerTeam For(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        lock (CacheLock)
        {
            if (!Cache.TryGetValue(size, out var team))
                Cache[size] = team = new WorkerTeam(size);
            return team;
        }
    }

    /// <summary>Runs parts 0..Size-1 of <paramref name="job"/> and returns when all are done.</summary>
    /// <exception cref="AggregateException">A part threw; the others still ran to completion.</exception>
    public void Run(IPartitionedJob job)
    {
        lock (_runLock)
        {
            if (Size == 1)
            {
                job.Execute(0);
                return;
            }
            _job = job;
            _done.Reset(Size - 1);
            Array.Clear(_failures);
            foreach (var start in _start) start.Set();
            try
            {
                job.Execute(0);
            }
            catch (Exception e)
            {
                _failures[0] = e;
            }
            _done.Wait();
            _job = null;
            if (Array.Exists(_failures, f => f is not null))
                throw new AggregateException(_failures.OfType<Exception>());
        }
    }

    private void Work(int part)
    {
        var start = _start[part - 1];
        while (true)
        {
            start.Wait();
            start.Reset();
            try
            {
                _job!.Execute(part);
            }
            catch (Exception e)
            {
                _failures[part] = e;
            }
            _done.Signal();
        }
    }
}
