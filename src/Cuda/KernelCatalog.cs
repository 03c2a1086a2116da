namespace TabularRL.Cuda;

/// <summary>The kind of one kernel parameter, as the launch marshals it.</summary>
internal enum KernelParameter
{
    /// <summary>C <c>int</c>: 4 bytes.</summary>
    Int32,

    /// <summary>C <c>long long</c>: 8 bytes.</summary>
    Int64,

    /// <summary>C <c>double</c>: 8 bytes.</summary>
    Double,

    /// <summary>Any device pointer: a 64-bit <c>CUdeviceptr</c>.</summary>
    Pointer,
}

/// <summary>One <c>extern "C" __global__</c> entry point: the source that defines it, its name and its parameter list.</summary>
/// <param name="Source">The embedded source file, e.g. <c>bellman.cu</c>.</param>
/// <param name="Name">The unmangled entry point name.</param>
/// <param name="Parameters">The parameters in declaration order.</param>
internal sealed record KernelSignature(string Source, string Name, KernelParameter[] Parameters);

/// <summary>
/// Every kernel the host launches, with the parameter list it marshals. A unit test parses the embedded sources and
/// checks that these are exactly their entry points with exactly these parameter kinds, which is as far as the
/// argument marshalling can be checked without a GPU.
/// </summary>
internal static class KernelCatalog
{
    private const KernelParameter I = KernelParameter.Int32, L = KernelParameter.Int64, D = KernelParameter.Double, P = KernelParameter.Pointer;

    public static readonly KernelSignature HardBackup = new("bellman.cu", "hard_backup", [I, I, D, P, P, P, P, P, P, P, P, P]);
    public static readonly KernelSignature SoftBackup = new("bellman.cu", "soft_backup", [I, I, D, D, P, P, P, P, P, P, P, P]);
    public static readonly KernelSignature KlBackup = new("bellman.cu", "kl_backup", [I, I, D, D, P, P, P, P, P, P, P, P, P]);
    public static readonly KernelSignature PolicyBackup = new("bellman.cu", "policy_backup", [I, I, D, P, P, P, P, P, P, P, P]);
    public static readonly KernelSignature DeterministicBackup = new("bellman.cu", "deterministic_backup", [I, I, D, P, P, P, P, P, P, P, P]);
    public static readonly KernelSignature PolicyMultiply = new("bellman.cu", "policy_multiply", [I, I, P, P, P, P, P, P]);
    public static readonly KernelSignature SparseMultiply = new("bellman.cu", "sparse_multiply", [I, P, P, P, P, P]);
    public static readonly KernelSignature MaxChangeBlocks = new("bellman.cu", "max_change_blocks", [L, P, P]);
    public static readonly KernelSignature MaxChangeFinal = new("bellman.cu", "max_change_final", [I, P, P]);
    public static readonly KernelSignature BatchedHardSweep = new("batched.cu", "batched_hard_sweep", [I, I, I, P, P, P, P, P, P, P, P, P, P]);
    public static readonly KernelSignature BatchedUpdate = new("batched.cu", "batched_update", [I, D, I, P, P, P, P, P]);

    /// <summary>Every entry point, grouped by nothing in particular.</summary>
    public static IReadOnlyList<KernelSignature> All { get; } =
    [
        HardBackup, SoftBackup, KlBackup, PolicyBackup, DeterministicBackup, PolicyMultiply, SparseMultiply,
        MaxChangeBlocks, MaxChangeFinal, BatchedHardSweep, BatchedUpdate,
    ];

    /// <summary>The sources compiled into modules (each its own NVRTC program), in load order.</summary>
    public static IReadOnlyList<string> ModuleSources { get; } = ["bellman.cu", "batched.cu"];

    /// <summary>Headers the sources include, passed to NVRTC by name.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["rows.cuh"];

    /// <summary>Threads per block of the reduction kernels; must equal TABRL_REDUCE_THREADS in bellman.cu.</summary>
    public const int ReduceThreads = 256;
}
