namespace TabularRL.Engine.Model;

/// <summary>Turns a reward array of any accepted shape into expected rewards rbar_h(s,a) = sum_{s'} P_h(s'|s,a) R_h(s,a,s').</summary>
/// <remarks>
/// Accepted shapes: [S,A], [H,S,A], [S,A,S], [H,S,A,S], and [nnz] aligned with the CSR entries. When H = S = A a
/// three-axis array is read as [S,A,S]. Every entry must be finite, also on impossible transitions.
/// </remarks>
public sealed class RewardTable
{
    private RewardTable(double[] expectedSA, int stageCount, double[]? aligned)
    {
        ExpectedSA = expectedSA;
        StageCount = stageCount;
        Aligned = aligned;
    }

    /// <summary>[StageCount*S*A] expected rewards.</summary>
    internal double[] ExpectedSA { get; }

    /// <summary>1 or H.</summary>
    public int StageCount { get; }

    /// <summary>[nnz] R(s,a,s') on the CSR entries, when the reward depends on s' and can be aligned.</summary>
    internal double[]? Aligned { get; }

    /// <summary>Expected rewards of a reward array for the dynamics of <paramref name="mdp"/> (e.g. a <c>--reward</c> file).</summary>
    /// <param name="mdp">The model whose transitions weight R(s,a,s').</param>
    /// <param name="data">Row-major values.</param>
    /// <param name="shape">One of the accepted shapes.</param>
    /// <param name="key">Name used in error messages.</param>
    public static double[] ExpectedFor(Mdp mdp, double[] data, long[] shape, string key = "reward")
    {
        var transitions = new Transitions(mdp.RowPointers.ToArray(), mdp.Columns.ToArray(), mdp.Probabilities.ToArray(), mdp.TransitionStageCount);
        return Build(mdp.StateCount, mdp.ActionCount, mdp.Horizon, transitions, data, shape, key).ExpectedSA;
    }

    internal static RewardTable Expected(int S, int A, int? horizon, TransitionTable table, double[]? rewards, long[]? shape, double[]? aligned)
    {
        var transitions = new Transitions(table.RowPointers, table.Columns, table.Probabilities, table.StageCount);
        if (rewards is not null && aligned is not null)
            throw new ModelValidationException("rewards", "both 'rewards' and 'rewards_sas_data' are given; give one");
        if (aligned is not null)
            return Build(S, A, horizon, transitions, aligned, [aligned.LongLength], "rewards_sas_data");
        if (rewards is null)
            throw new ModelValidationException("rewards", "missing: give 'rewards' [S,A] or [S,A,S], or 'rewards_sas_data'");
        return Build(S, A, horizon, transitions, rewards, shape ?? [S, A], "rewards");
    }

    private readonly record struct Transitions(long[] RowPointers, int[] Columns, double[] Probabilities, int StageCount);

    private static RewardTable Build(int S, int A, int? horizon, Transitions t, double[] data, long[] shape, string key)
    {
        long perStage = (long)S * A;
        long nnz = t.Columns.LongLength;
        int H = horizon ?? 0;
        bool dependsOnNext;
        int stages;
        if (shape.Length == 2 && shape[0] == S && shape[1] == A)
            (dependsOnNext, stages) = (false, 1);
        else if (shape.Length == 3 && shape[0] == S && shape[1] == A && shape[2] == S)
            (dependsOnNext, stages) = (true, 1);
        else if (H > 0 && shape.Length == 3 && shape[0] == H && shape[1] == S && shape[2] == A)
            (dependsOnNext, stages) = (false, H);
        else if (H > 0 && shape.Length == 4 && shape[0] == H && shape[1] == S && shape[2] == A && shape[3] == S)
            (dependsOnNext, stages) = (true, H);
        else if (shape.Length == 1 && shape[0] == nnz)
            return FromAligned(S, A, t, data, key);
        else
        {
            string expected = $"[S,A] = ({S}, {A}), [S,A,S] = ({S}, {A}, {S}) or [nnz] = ({nnz},)";
            if (H > 0) expected = $"[H,S,A] = ({H}, {S}, {A}), [H,S,A,S] = ({H}, {S}, {A}, {S}), " + expected;
            throw new ModelValidationException(key, $"shape {Format.Shape(shape)}, expected {expected}");
        }
        long expectedLength = stages * perStage * (dependsOnNext ? S : 1);
        if (data.LongLength != expectedLength)
            throw new ModelValidationException(key, $"has {data.LongLength} values, expected {expectedLength} for shape {Format.Shape(shape)}");
        CheckFinite(data, S, A, stages > 1, dependsOnNext, key);
        if (!dependsOnNext)
            return new RewardTable((double[])data.Clone(), stages, null);

        // rbar_h(s,a) = sum over the stored entries of row (h,s,a); impossible transitions carry no weight.
        int outStages = Math.Max(stages, t.StageCount);
        var expectedSA = new double[outStages * perStage];
        for (int h = 0; h < outStages; h++)
        {
            long pBase = (t.StageCount == 1 ? 0 : h) * perStage;
            long rBase = (stages == 1 ? 0 : h) * perStage;
            for (long sa = 0; sa < perStage; sa++)
            {
                double sum = 0;
                for (long k = t.RowPointers[pBase + sa]; k < t.RowPointers[pBase + sa + 1]; k++)
                    sum += t.Probabilities[k] * data[(rBase + sa) * S + t.Columns[k]];
                expectedSA[h * perStage + sa] = sum;
            }
        }
        double[]? aligned = null;
        if (stages == 1 || stages == t.StageCount)
        {
            aligned = new double[nnz];
            long rows = (long)t.StageCount * perStage;
            for (long row = 0; row < rows; row++)
            {
                long rRow = stages == 1 ? row % perStage : row;
                for (long k = t.RowPointers[row]; k < t.RowPointers[row + 1]; k++)
                    aligned[k] = data[rRow * S + t.Columns[k]];
            }
        }
        return new RewardTable(expectedSA, outStages, aligned);
    }

    private static RewardTable FromAligned(int S, int A, Transitions t, double[] data, string key)
    {
        long perStage = (long)S * A;
        long rows = t.StageCount * perStage;
        var expectedSA = new double[rows];
        for (long row = 0; row < rows; row++)
        {
            double sum = 0;
            for (long k = t.RowPointers[row]; k < t.RowPointers[row + 1]; k++)
            {
                if (!double.IsFinite(data[k]))
                    throw new ModelValidationException(key, $"entry [{k}] in row {Format.Row(row, S, A, t.StageCount > 1)} is {Format.Value(data[k])} (rewards must be finite)");
                sum += t.Probabilities[k] * data[k];
            }
            expectedSA[row] = sum;
        }
        return new RewardTable(expectedSA, t.StageCount, (double[])data.Clone());
    }

    private static void CheckFinite(double[] data, int S, int A, bool staged, bool dependsOnNext, string key)
    {
        int width = dependsOnNext ? S : 1;
        for (long i = 0; i < data.LongLength; i++)
        {
            if (double.IsFinite(data[i])) continue;
            string at = Format.Row(i / width, S, A, staged);
            if (dependsOnNext) at = at.TrimEnd(')') + $", s'={i % width})";
            throw new ModelValidationException(key, $"entry {at} is {Format.Value(data[i])} (rewards must be finite)");
        }
    }
}
