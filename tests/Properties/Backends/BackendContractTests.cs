using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Backends;

/// <summary>
/// The contract of <see cref="TabularRL.Kernels.IBellmanBackend"/> on random models: every backend of
/// <see cref="BackendSet.UnderTest"/> (the reference and the CPU backend on 1, 2, 3 and 4 threads) matches the scalar
/// oracle within the rounding bounds of <see cref="Tolerances"/>, one property per primitive, over every
/// <see cref="KernelShape"/> (row lengths 1..64, S up to 5000 in three blocks, entries concentrated in a few states,
/// single actions, absorbing states, one-entry rows), gamma in [0, 1], magnitudes 1, 1e-300 and 1e300 and
/// temperatures 1e-8..1e8.
/// </summary>
/// <remarks>
/// Every backend runs on the same draw, so the draw and the oracle are computed once, and a failure lists every
/// backend that disagrees (one to four threads failing and the reference passing points at the partition).
/// </remarks>
public sealed class BackendContractTests : IDisposable
{
    private const int Cases = 32;

    private readonly BackendSet _backends = BackendSet.UnderTest();

    public void Dispose() => _backends.Dispose();

    /// <summary>This class's properties cover the CUDA backend where a device is present; skipped with the reason elsewhere.</summary>
    [CudaFact]
    public void Cuda_DevicePresent_IsAmongTheBackendsUnderTest() => _backends.AssertIncludesCuda();

    [Fact]
    public void IsAvailable_EveryBackendUnderTest_True()
    {
        foreach (var (name, backend) in _backends.Members)
            Assert.True(backend.IsAvailable, $"{name} says it is not available");
    }

    [Fact]
    public void HardBackup_RandomModels_EveryBackendMatchesOracleIncludingArgmax()
        => PropertyCheck.Run(KernelCase.Arbitrary(), c => OracleCheck.HardBackup(_backends, c.Problem, c.Model.VS, c.ToString()), Cases);

    [Fact]
    public void SoftBackup_RandomModelsAndTemperatures_EveryBackendMatchesOracleBetweenMaxAndMaxPlusTLogA()
        => PropertyCheck.Run(KernelCase.Arbitrary(), c =>
        {
            var result = OracleCheck.SoftBackup(_backends, c.Problem, c.Temperature, c.Model.VS, c.ToString());
            // max_a Q <= t log sum_a exp(Q_a / t) <= max_a Q + t log A, at every temperature.
            int A = c.ActionCount;
            foreach (var run in result.Runs)
                for (int s = 0; s < c.StateCount; s++)
                {
                    double max = Max(run.QSA.AsSpan(s * A, A));
                    double slack = result.TolVS[s];
                    if (!(run.VS[s] >= max - slack && run.VS[s] <= max + c.Temperature * Math.Log(A) + slack))
                        Assert.Fail($"{run.Backend} on {c}: V[{s}] = {Mismatches.R(run.VS[s])} outside [max Q, max Q + t log A] = [{Mismatches.R(max)}, {Mismatches.R(max + c.Temperature * Math.Log(A))}]");
                }
        }, Cases);

    [Fact]
    public void KlBackup_RandomReferencesWithZeros_EveryBackendMatchesOracleWithinTheSupportsQRange()
        => PropertyCheck.Run(KernelCase.Arbitrary(), c =>
        {
            var logReference = c.Model.LogReferenceSA.Span;
            var result = OracleCheck.KlBackup(_backends, c.Problem, c.Temperature, c.Model.LogReferenceSA, c.Model.VS, c.ToString());
            // A weighted power mean of exp(Q/l): between the smallest and largest Q on the reference's support.
            int A = c.ActionCount;
            foreach (var run in result.Runs)
                for (int s = 0; s < c.StateCount; s++)
                {
                    double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
                    for (int a = 0; a < A; a++)
                        if (!double.IsNegativeInfinity(logReference[s * A + a]))
                            (lo, hi) = (Math.Min(lo, run.QSA[s * A + a]), Math.Max(hi, run.QSA[s * A + a]));
                    double slack = result.TolVS[s];
                    if (!(run.VS[s] >= lo - slack && run.VS[s] <= hi + slack))
                        Assert.Fail($"{run.Backend} on {c}: V[{s}] = {Mismatches.R(run.VS[s])} outside the support's Q range [{Mismatches.R(lo)}, {Mismatches.R(hi)}]");
                }
        }, Cases);

    [Fact]
    public void PolicyBackup_RandomPoliciesWithZeros_EveryBackendMatchesOracle()
        => PropertyCheck.Run(KernelCase.Arbitrary(), c => OracleCheck.PolicyBackup(_backends, c.Problem, c.Model.PolicySA, c.Model.VS, c.ToString()), Cases);

    [Fact]
    public void DeterministicPolicyBackup_RandomActions_EveryBackendMatchesOracle()
        => PropertyCheck.Run(KernelCase.Arbitrary(), c => OracleCheck.DeterministicPolicyBackup(_backends, c.Problem, c.Model.ActionsS, c.Model.VS, c.ToString()), Cases);

    [Fact]
    public void PolicyMultiply_RandomActions_EveryBackendMatchesOracle()
        => PropertyCheck.Run(KernelCase.Arbitrary(), c => OracleCheck.PolicyMultiply(_backends, c.Problem, c.Model.ActionsS, c.Model.VS, c.ToString()), Cases);

    [Fact]
    public void GaussSeidelSweep_RandomModels_EveryBackendMatchesOracleIncludingArgmax()
        => PropertyCheck.Run(KernelCase.Arbitrary(), c => OracleCheck.GaussSeidelSweep(_backends, c.Problem, c.Model.VS, c.ToString()), Cases);

    [Fact]
    public void Multiply_RandomRowsOfLengthZeroToSixtyFour_EveryBackendMatchesOracle()
        => PropertyCheck.Run(SparseCase.Arbitrary(), c => OracleCheck.Multiply(_backends, c.Matrix, c.X, c.ToString()), Cases);

    private static double Max(ReadOnlySpan<double> x)
    {
        double max = double.NegativeInfinity;
        foreach (double value in x) max = Math.Max(max, value);
        return max;
    }
}
