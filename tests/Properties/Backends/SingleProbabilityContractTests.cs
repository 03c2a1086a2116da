using TabularRL.Kernels;
using TabularRL.Tests.Generators;

namespace TabularRL.Tests.Backends;

/// <summary>
/// The optional float32 storage of transition probabilities (<see cref="SparseRows.ToSingle"/>): every primitive of
/// every backend on float32 rows against the oracle on the same rows, with the same bounds as float64 rows. The
/// float32 entries widen to doubles exactly and all arithmetic stays in float64, so nothing is lost beyond the
/// rounding of the stored probabilities themselves, which the oracle shares.
/// </summary>
public sealed class SingleProbabilityContractTests : IDisposable
{
    private readonly BackendSet _backends = BackendSet.UnderTest();

    public void Dispose() => _backends.Dispose();

    /// <summary>This class's properties cover the CUDA backend where a device is present; skipped with the reason elsewhere.</summary>
    [CudaFact]
    public void Cuda_DevicePresent_IsAmongTheBackendsUnderTest() => _backends.AssertIncludesCuda();

    [Theory]
    [InlineData(KernelShape.RowLengths, 67, 3)]
    [InlineData(KernelShape.RowLengths, 5000, 2)]
    [InlineData(KernelShape.Unbalanced, 5000, 3)]
    public void EveryPrimitive_Float32Rows_MatchesOracle(KernelShape shape, int stateCount, int actionCount)
    {
        var c = new KernelCase(shape, stateCount, actionCount, Discount: 0.9, Magnitude: 1, Temperature: 1, Seed: 7);
        var model = c.Model.WithSingleProbabilities();
        Assert.True(model.Transitions.IsSingle);
        OracleCheck.EveryPrimitive(_backends, model, [1e-8, 1.0, 1e8], c + ", float32 probabilities");
    }

    [Fact]
    public void HardBackup_Float32Rows_EqualsFloat64RowsHoldingTheRoundedValues()
    {
        // The float32 kernels must compute exactly what the float64 kernels compute on the widened entries: same
        // products, same order of summation.
        var c = new KernelCase(KernelShape.RowLengths, 5000, 2, Discount: 0.9, Magnitude: 1, Temperature: 1, Seed: 3);
        var single = c.Model.WithSingleProbabilities();
        var widened = new BellmanProblem(single.Transitions.ToDouble(), single.RewardsSA, c.StateCount, c.ActionCount, c.Model.Discount);
        foreach (var (name, backend) in _backends.Members)
        {
            var (vSingle, vWidened) = (new double[c.StateCount], new double[c.StateCount]);
            backend.HardBackup(single.Problem, single.VS, Memory<double>.Empty, vSingle, Memory<int>.Empty);
            backend.HardBackup(widened, single.VS, Memory<double>.Empty, vWidened, Memory<int>.Empty);
            Assert.True(vSingle.AsSpan().SequenceEqual(vWidened), $"{name}: float32 and widened float64 rows differ");
        }
    }

    [Fact]
    public void Values_OfFloat32Rows_ThrowsRatherThanReturningNothing()
    {
        var rows = new SparseRows(new long[] { 0, 1 }, new[] { 0 }, new[] { 1f });
        var error = Assert.Throws<InvalidOperationException>(() => rows.Values);
        Assert.Contains("float32", error.Message);
        Assert.Equal(1.0, rows.ToDouble().Values.Span[0]);
    }
}
