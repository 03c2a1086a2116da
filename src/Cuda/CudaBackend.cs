using System.Runtime.InteropServices;
using TabularRL.Cuda.Native;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;

namespace TabularRL.Cuda;

/// <summary>The CUDA backend: the Bellman primitives and batched value iteration as CUDA kernels in double precision.</summary>
/// <remarks>
/// <para>
/// NOT YET VERIFIED ON A GPU. The host side (bindings, kernel sources, compilation, selection, the no-driver path) is
/// tested on a machine without CUDA; no kernel has been compiled or run, no launch configuration has been exercised and
/// nothing here has been timed. benchmarks/gpu/run.sh runs the contract tests and the benchmark on a GPU machine.
/// </para>
/// <para>
/// Residency. The primitives take host memory (<see cref="IBellmanBackend"/>), and the solvers read the values after
/// every call, so each single-model primitive copies V (and policy, log reference or actions and rewards) to the device
/// and the new values, the change and any requested Q or argmax back: O(S*A) bytes each way per call. Only the
/// transition rows, the O(nnz) part, stay on the device across calls: the device copy is keyed by the identity of the
/// arrays behind the row pointers, columns and values (<see cref="MemoryMarshal.TryGetArray{T}"/>) and replaced when
/// different arrays arrive. That relies on the arrays not being modified in place, as the Engine's immutable models
/// guarantee; call <see cref="ForgetModel"/> after modifying one. The fully device-resident path is
/// <see cref="ValueIteration"/> (batched), whose loop runs here and brings back only the active flags every
/// <see cref="BatchedCheckInterval"/> sweeps.
/// </para>
/// <para>
/// Kernels: one thread per state (grid-stride loops), rows read in entry order as the reference backend does; the
/// change is reduced exactly (maximum over bit patterns, so independent of the launch configuration). float32
/// transition storage is widened to float64 on upload (exact), so the kernels always read float64. Gauss-Seidel is
/// sequential by definition (state s reads this sweep's values of the states before it): it runs on the host, on a
/// single-threaded <see cref="CpuBackend"/>, not on the device.
/// </para>
/// </remarks>
public sealed class CudaBackend : IBellmanBackend, IBatchedBellmanBackend
{
    private const int Threads = 256;

    private readonly object _gate = new();
    private readonly CudaDevice _device;
    private readonly bool _ownsDevice;
    private readonly CudaModule _bellman;
    private readonly CudaModule _batched;
    private readonly CpuBackend _host = new(1);

    private DeviceBuffer? _rowPointers, _columns, _values;
    private (object? Array, int Offset, int Length) _rowPointerKey, _columnKey, _valueKey;
    private DeviceBuffer? _rewards, _v, _vOut, _q, _argmax, _change, _partial, _result, _extra;
    private bool _disposed;

    /// <summary>Opens device 0 (or TABRL_CUDA_DEVICE) and loads the kernels.</summary>
    /// <exception cref="InvalidOperationException">CUDA cannot be used here; the message says why.</exception>
    public CudaBackend()
    {
        if (!CudaDevice.TryOpen(out var device, out string reason))
            throw new InvalidOperationException($"CUDA is not available: {reason}");
        _device = device!;
        _ownsDevice = true;
        try
        {
            _device.MakeCurrent();
            _bellman = CudaModule.Load(_device, "bellman.cu");
            _batched = CudaModule.Load(_device, "batched.cu");
        }
        catch
        {
            _bellman?.Dispose();
            _host.Dispose();
            _device.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public string Name => "cuda";

    /// <inheritdoc/>
    public bool IsAvailable => !_disposed;

    /// <summary>The device this backend runs on.</summary>
    public CudaDevice Device => _device;

    /// <summary>Where the kernels' PTX came from, e.g. "NVRTC 12.4 compute_90, compiled".</summary>
    public string KernelOrigin => _bellman.Origin;

    /// <summary>Sweeps between copies of the active flags in <see cref="ValueIteration"/>.</summary>
    public int BatchedCheckInterval { get; init; } = 8;

    /// <summary>Drops the device copy of the last model's transitions, for a caller that modified those arrays in place.</summary>
    public void ForgetModel()
    {
        lock (_gate)
        {
            _rowPointerKey = _columnKey = _valueKey = default;
        }
    }

    /// <inheritdoc/>
    public double HardBackup(in BellmanProblem problem, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS, Memory<int> argmaxS)
    {
        int S = problem.StateCount, A = problem.ActionCount;
        CheckLengths(problem, vS.Length, vOutS.Length, qSA.Length, argmaxS.Length);
        if (S == 0) return 0;
        lock (_gate)
        {
            var (rows, columns, values) = Prepare(problem, vS);
            var q = DeviceBuffer.Ensure(ref _q, (long)S * A * sizeof(double));
            var argmax = DeviceBuffer.Ensure(ref _argmax, (long)S * sizeof(int));
            _bellman.Launch(new KernelArguments(KernelCatalog.HardBackup).Int(S).Int(A).Double(problem.Discount)
                .Pointer(rows).Pointer(columns).Pointer(values).Pointer(_rewards!.Pointer).Pointer(_v!.Pointer)
                .Pointer(q.Pointer).Pointer(_vOut!.Pointer).Pointer(argmax.Pointer).Pointer(_change!.Pointer), Blocks(S), Threads);
            double change = Reduce(S);
            _vOut.Download(vOutS.Span);
            if (!qSA.IsEmpty) q.Download(qSA.Span);
            if (!argmaxS.IsEmpty) argmax.Download(argmaxS.Span);
            return change;
        }
    }

    /// <inheritdoc/>
    public double SoftBackup(in BellmanProblem problem, double temperature, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
        => Regularised(problem, temperature, ReadOnlyMemory<double>.Empty, vS, qSA, vOutS);

    /// <inheritdoc/>
    public double KlBackup(in BellmanProblem problem, double coefficient, ReadOnlyMemory<double> logReferenceSA, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
    {
        if (logReferenceSA.Length != (long)problem.StateCount * problem.ActionCount)
            throw new ArgumentException($"log reference has {logReferenceSA.Length} entries, expected S*A = {(long)problem.StateCount * problem.ActionCount}", nameof(logReferenceSA));
        return Regularised(problem, coefficient, logReferenceSA, vS, qSA, vOutS);
    }

    private double Regularised(in BellmanProblem problem, double t, ReadOnlyMemory<double> logReferenceSA, ReadOnlyMemory<double> vS, Memory<double> qSA, Memory<double> vOutS)
    {
        int S = problem.StateCount, A = problem.ActionCount;
        CheckLengths(problem, vS.Length, vOutS.Length, qSA.Length, 0);
        if (S == 0) return 0;
        lock (_gate)
        {
            var (rows, columns, values) = Prepare(problem, vS);
            var q = DeviceBuffer.Ensure(ref _q, (long)S * A * sizeof(double));
            KernelArguments arguments;
            if (logReferenceSA.IsEmpty)
            {
                arguments = new KernelArguments(KernelCatalog.SoftBackup).Int(S).Int(A).Double(problem.Discount).Double(t)
                    .Pointer(rows).Pointer(columns).Pointer(values).Pointer(_rewards!.Pointer);
            }
            else
            {
                var logReference = Upload(ref _extra, logReferenceSA.Span);
                arguments = new KernelArguments(KernelCatalog.KlBackup).Int(S).Int(A).Double(problem.Discount).Double(t)
                    .Pointer(rows).Pointer(columns).Pointer(values).Pointer(_rewards!.Pointer).Pointer(logReference.Pointer);
            }
            arguments.Pointer(_v!.Pointer).Pointer(q.Pointer).Pointer(_vOut!.Pointer).Pointer(_change!.Pointer);
            _bellman.Launch(arguments, Blocks(S), Threads);
            double change = Reduce(S);
            _vOut.Download(vOutS.Span);
            if (!qSA.IsEmpty) q.Download(qSA.Span);
            return change;
        }
    }

    /// <inheritdoc/>
    public double PolicyBackup(in BellmanProblem problem, ReadOnlyMemory<double> policySA, ReadOnlyMemory<double> vS, Memory<double> vOutS)
    {
        int S = problem.StateCount, A = problem.ActionCount;
        CheckLengths(problem, vS.Length, vOutS.Length, 0, 0);
        if (policySA.Length != (long)S * A)
            throw new ArgumentException($"policy has {policySA.Length} entries, expected S*A = {(long)S * A}", nameof(policySA));
        if (S == 0) return 0;
        lock (_gate)
        {
            var (rows, columns, values) = Prepare(problem, vS);
            var policy = Upload(ref _extra, policySA.Span);
            _bellman.Launch(new KernelArguments(KernelCatalog.PolicyBackup).Int(S).Int(A).Double(problem.Discount)
                .Pointer(rows).Pointer(columns).Pointer(values).Pointer(_rewards!.Pointer).Pointer(policy.Pointer)
                .Pointer(_v!.Pointer).Pointer(_vOut!.Pointer).Pointer(_change!.Pointer), Blocks(S), Threads);
            double change = Reduce(S);
            _vOut.Download(vOutS.Span);
            return change;
        }
    }

    /// <inheritdoc/>
    public double DeterministicPolicyBackup(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> vS, Memory<double> vOutS)
    {
        int S = problem.StateCount, A = problem.ActionCount;
        CheckLengths(problem, vS.Length, vOutS.Length, 0, 0);
        CheckActions(actionsS.Span, S, A);
        if (S == 0) return 0;
        lock (_gate)
        {
            var (rows, columns, values) = Prepare(problem, vS);
            var actions = Upload(ref _extra, actionsS.Span);
            _bellman.Launch(new KernelArguments(KernelCatalog.DeterministicBackup).Int(S).Int(A).Double(problem.Discount)
                .Pointer(rows).Pointer(columns).Pointer(values).Pointer(_rewards!.Pointer).Pointer(actions.Pointer)
                .Pointer(_v!.Pointer).Pointer(_vOut!.Pointer).Pointer(_change!.Pointer), Blocks(S), Threads);
            double change = Reduce(S);
            _vOut.Download(vOutS.Span);
            return change;
        }
    }

    /// <inheritdoc/>
    public void PolicyMultiply(in BellmanProblem problem, ReadOnlyMemory<int> actionsS, ReadOnlyMemory<double> xS, Memory<double> yS)
    {
        int S = problem.StateCount, A = problem.ActionCount;
        CheckLengths(problem, xS.Length, yS.Length, 0, 0);
        CheckActions(actionsS.Span, S, A);
        if (S == 0) return;
        lock (_gate)
        {
            _device.MakeCurrent();
            var (rows, columns, values) = BindTransitions(problem.Transitions);
            var actions = Upload(ref _extra, actionsS.Span);
            var x = Upload(ref _v, xS.Span);
            var y = DeviceBuffer.Ensure(ref _vOut, (long)S * sizeof(double));
            _bellman.Launch(new KernelArguments(KernelCatalog.PolicyMultiply).Int(S).Int(A)
                .Pointer(rows).Pointer(columns).Pointer(values).Pointer(actions.Pointer).Pointer(x.Pointer).Pointer(y.Pointer), Blocks(S), Threads);
            y.Download(yS.Span);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Runs on the host (a single-threaded <see cref="CpuBackend"/>): Gauss-Seidel is sequential by definition.</remarks>
    public double GaussSeidelSweep(in BellmanProblem problem, Memory<double> vS, Memory<int> argmaxS)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _host.GaussSeidelSweep(problem, vS, argmaxS);
    }

    /// <inheritdoc/>
    public void Multiply(SparseRows matrix, ReadOnlyMemory<double> x, Memory<double> y)
    {
        int rowCount = matrix.RowCount;
        if (y.Length != rowCount)
            throw new ArgumentException($"y has {y.Length} entries, expected {rowCount} (one per row)", nameof(y));
        if (rowCount == 0) return;
        lock (_gate)
        {
            _device.MakeCurrent();
            var (rows, columns, values) = BindTransitions(matrix);
            var input = Upload(ref _v, x.Span);
            var output = DeviceBuffer.Ensure(ref _vOut, (long)rowCount * sizeof(double));
            _bellman.Launch(new KernelArguments(KernelCatalog.SparseMultiply).Int(rowCount)
                .Pointer(rows).Pointer(columns).Pointer(values).Pointer(input.Pointer).Pointer(output.Pointer), Blocks(rowCount), Threads);
            output.Download(y.Span);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Per sweep: one launch of <c>batched_hard_sweep</c> over all B*S states (frozen MDPs only copy their values across)
    /// and one of <c>batched_update</c> over the B MDPs; every <see cref="BatchedCheckInterval"/> sweeps the B active
    /// flags come back and the loop stops when none is left. An MDP whose values stop being finite is frozen with a
    /// NaN bound while the others go on; the result is then false. NOT VERIFIED ON A GPU.
    /// </remarks>
    public bool ValueIteration(in BatchedBellmanProblem batch, double tolerance, int maxSweeps,
        Memory<double> valuesBS, Memory<int> actionsBS, Memory<double> errorBoundsB, Memory<int> sweepsB)
    {
        BatchedSolveArguments.Check(batch, tolerance, maxSweeps, valuesBS, actionsBS, errorBoundsB, sweepsB);
        int B = batch.BatchCount, S = batch.StateCount, A = batch.ActionCount;
        long states = (long)B * S;
        if (states == 0) return true;
        if (states > int.MaxValue) throw new ArgumentException($"B*S = {states} states exceed what one launch addresses", nameof(batch));
        ObjectDisposedException.ThrowIf(_disposed, this);

        lock (_gate)
        {
            _device.MakeCurrent();
            var transitions = batch.Transitions.IsSingle ? batch.Transitions.ToDouble() : batch.Transitions;
            using var rows = Fresh(transitions.RowPointers.Span);
            using var columns = Fresh(transitions.Columns.Span);
            using var values = Fresh(transitions.Values.Span);
            using var rewards = Fresh(batch.RewardsBSA.Span);
            using var discounts = Fresh(batch.DiscountsB.Span);
            using var vA = Fresh<double>(valuesBS.Span);
            using var vB = DeviceBuffer.Allocate(states * sizeof(double));
            using var argmax = DeviceBuffer.Allocate(states * sizeof(int));
            argmax.Fill(0, states * sizeof(int));
            using var change = DeviceBuffer.Allocate((long)B * sizeof(ulong));
            change.Fill(0, (long)B * sizeof(ulong));
            var initialBounds = new double[B];
            Array.Fill(initialBounds, double.PositiveInfinity);
            using var bounds = Fresh<double>(initialBounds);
            using var sweeps = DeviceBuffer.Allocate((long)B * sizeof(int));
            sweeps.Fill(0, (long)B * sizeof(int));
            var activeHost = new int[B];
            Array.Fill(activeHost, 1);
            using var active = Fresh<int>(activeHost);

            int stateBlocks = Blocks(states), batchBlocks = Blocks(B);
            int sweep = 0;
            var (current, next) = (vA, vB);
            while (sweep < maxSweeps)
            {
                _batched.Launch(new KernelArguments(KernelCatalog.BatchedHardSweep).Int(B).Int(S).Int(A)
                    .Pointer(rows.Pointer).Pointer(columns.Pointer).Pointer(values.Pointer).Pointer(rewards.Pointer)
                    .Pointer(discounts.Pointer).Pointer(active.Pointer).Pointer(current.Pointer).Pointer(next.Pointer)
                    .Pointer(argmax.Pointer).Pointer(change.Pointer), stateBlocks, Threads);
                _batched.Launch(new KernelArguments(KernelCatalog.BatchedUpdate).Int(B).Double(tolerance).Int(maxSweeps)
                    .Pointer(discounts.Pointer).Pointer(active.Pointer).Pointer(change.Pointer).Pointer(bounds.Pointer)
                    .Pointer(sweeps.Pointer), batchBlocks, Threads);
                sweep++;
                (current, next) = (next, current);
                if (sweep % Math.Max(1, BatchedCheckInterval) == 0 || sweep == maxSweeps)
                {
                    active.Download<int>(activeHost);
                    if (Array.IndexOf(activeHost, 1) < 0) break;
                }
            }
            // current holds every MDP's final values: frozen MDPs were copied across in every later sweep.
            current.Download(valuesBS.Span);
            argmax.Download(actionsBS.Span);
            bounds.Download(errorBoundsB.Span);
            sweeps.Download(sweepsB.Span);
        }
        foreach (double bound in errorBoundsB.Span)
            if (!(bound <= tolerance)) return false;
        return true;
    }

    // Uploads V and the rewards, binds the transitions; the outputs V, change and reduction buffers are sized for S.
    private (ulong Rows, ulong Columns, ulong Values) Prepare(in BellmanProblem problem, ReadOnlyMemory<double> vS)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _device.MakeCurrent();
        int S = problem.StateCount;
        var bound = BindTransitions(problem.Transitions);
        Upload(ref _rewards, problem.RewardsSA.Span);
        Upload(ref _v, vS.Span);
        DeviceBuffer.Ensure(ref _vOut, (long)S * sizeof(double));
        DeviceBuffer.Ensure(ref _change, (long)S * sizeof(ulong));
        return bound;
    }

    // The device copy of the rows: reused while the same arrays come back, replaced when others do. Row pointers and
    // the column/value arrays are keyed separately, so the stages of a finite-horizon model (slices of one row-pointer
    // array over shared columns and values) upload the O(nnz) arrays once.
    private (ulong Rows, ulong Columns, ulong Values) BindTransitions(SparseRows rows)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (rows.IsSingle) rows = rows.ToDouble(); // a fresh array each time: never cached, always uploaded (exact widening)
        Bind(ref _rowPointers, ref _rowPointerKey, rows.RowPointers);
        Bind(ref _columns, ref _columnKey, rows.Columns);
        Bind(ref _values, ref _valueKey, rows.Values);
        return (_rowPointers!.Pointer, _columns!.Pointer, _values!.Pointer);
    }

    private static void Bind<T>(ref DeviceBuffer? buffer, ref (object? Array, int Offset, int Length) key, ReadOnlyMemory<T> memory) where T : unmanaged
    {
        bool identified = MemoryMarshal.TryGetArray(memory, out ArraySegment<T> segment);
        var wanted = identified ? ((object?)segment.Array, segment.Offset, segment.Count) : (null, 0, -1);
        if (identified && buffer is not null && ReferenceEquals(key.Array, wanted.Item1) && key.Offset == wanted.Item2 && key.Length == wanted.Item3)
            return;
        Upload(ref buffer, memory.Span);
        key = identified ? wanted : default;
    }

    private static unsafe DeviceBuffer Upload<T>(ref DeviceBuffer? buffer, ReadOnlySpan<T> data) where T : unmanaged
    {
        var target = DeviceBuffer.Ensure(ref buffer, (long)data.Length * sizeof(T));
        target.Upload(data);
        return target;
    }

    private static unsafe DeviceBuffer Fresh<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        var buffer = DeviceBuffer.Allocate((long)data.Length * sizeof(T));
        try
        {
            buffer.Upload(data);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    // Two-stage exact max over the S change patterns (bellman.cu: max_change_blocks, max_change_final).
    private double Reduce(int count)
    {
        const int maxBlocks = 1024;
        int blocks = Math.Min(maxBlocks, (count + KernelCatalog.ReduceThreads - 1) / KernelCatalog.ReduceThreads);
        var partial = DeviceBuffer.Ensure(ref _partial, maxBlocks * sizeof(ulong));
        var result = DeviceBuffer.Ensure(ref _result, sizeof(ulong));
        _bellman.Launch(new KernelArguments(KernelCatalog.MaxChangeBlocks).Long(count).Pointer(_change!.Pointer).Pointer(partial.Pointer), blocks, KernelCatalog.ReduceThreads);
        _bellman.Launch(new KernelArguments(KernelCatalog.MaxChangeFinal).Int(blocks).Pointer(partial.Pointer).Pointer(result.Pointer), 1, KernelCatalog.ReduceThreads);
        Span<ulong> bits = stackalloc ulong[1];
        result.Download(bits);
        return BitConverter.Int64BitsToDouble(unchecked((long)bits[0]));
    }

    // Enough blocks to fill the device several times over; the kernels' grid-stride loops cover the rest.
    private int Blocks(long count)
        => (int)Math.Min((count + Threads - 1) / Threads, Math.Max(1, _device.MultiprocessorCount) * 32L);

    private static void CheckLengths(in BellmanProblem problem, int inLength, int outLength, int qLength, int argmaxLength)
    {
        int S = problem.StateCount;
        long SA = (long)S * problem.ActionCount;
        if (inLength != S) throw new ArgumentException($"input values have {inLength} entries, expected S = {S}");
        if (outLength != S) throw new ArgumentException($"output values have {outLength} entries, expected S = {S}");
        if (qLength != 0 && qLength != SA) throw new ArgumentException($"Q has {qLength} entries, expected 0 or S*A = {SA}");
        if (argmaxLength != 0 && argmaxLength != S) throw new ArgumentException($"argmax has {argmaxLength} entries, expected 0 or S = {S}");
    }

    // A device kernel indexes rows by the action, so an out-of-range action would read outside the model: check on the host.
    private static void CheckActions(ReadOnlySpan<int> actions, int S, int A)
    {
        if (actions.Length != S) throw new ArgumentException($"actions have {actions.Length} entries, expected S = {S}", nameof(actions));
        for (int s = 0; s < actions.Length; s++)
            if ((uint)actions[s] >= (uint)A)
                throw new ArgumentOutOfRangeException(nameof(actions), actions[s], $"action of state {s} is {actions[s]}, outside [0, {A})");
    }

    /// <summary>Frees the device memory, unloads the kernels and releases the device.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            try
            {
                _device.MakeCurrent();
            }
            catch (CudaException)
            {
                // Disposal must not throw; the buffers below are then freed as well as the driver allows.
            }
            foreach (var buffer in new[] { _rowPointers, _columns, _values, _rewards, _v, _vOut, _q, _argmax, _change, _partial, _result, _extra })
                buffer?.Dispose();
            _bellman.Dispose();
            _batched.Dispose();
            _host.Dispose();
            if (_ownsDevice) _device.Dispose();
        }
    }
}
