namespace TabularRL.Engine.Model;

/// <summary>Validated CSR transitions built from either the CSR keys or the dense key of a model.</summary>
internal sealed class TransitionTable
{
    private TransitionTable(long[] rowPointers, int[] columns, double[] probabilities, int stageCount)
    {
        RowPointers = rowPointers;
        Columns = columns;
        Probabilities = probabilities;
        StageCount = stageCount;
    }

    public long[] RowPointers { get; }

    public int[] Columns { get; }

    public double[] Probabilities { get; }

    /// <summary>1 (stationary) or H.</summary>
    public int StageCount { get; }

    public static TransitionTable FromBuilder(MdpBuilder b)
    {
        bool sparse = b.TransitionRowPointers is not null || b.TransitionColumns is not null
            || b.TransitionColumnsWide is not null || b.TransitionProbabilities is not null;
        if (sparse && b.DenseTransitions is not null)
            throw new ModelValidationException("transitions", "both dense 'transitions' and the CSR keys are given; give one");
        if (b.DenseTransitions is not null)
            return FromDense(b);
        if (!sparse)
            throw new ModelValidationException("transitions", "missing: give 'transitions' [S,A,S] or the CSR keys transitions_indptr, transitions_indices, transitions_data");
        return FromCsr(b);
    }

    private static TransitionTable FromCsr(MdpBuilder b)
    {
        int S = b.StateCount, A = b.ActionCount;
        var indptr = b.TransitionRowPointers ?? throw new ModelValidationException("transitions_indptr", "missing (the CSR keys come together)");
        var data = b.TransitionProbabilities ?? throw new ModelValidationException("transitions_data", "missing (the CSR keys come together)");
        if (b.TransitionColumns is null && b.TransitionColumnsWide is null)
            throw new ModelValidationException("transitions_indices", "missing (the CSR keys come together)");
        long nnz = b.TransitionColumns?.Length ?? b.TransitionColumnsWide!.Length;

        long perStage = (long)S * A;
        int stages;
        if (indptr.Length == perStage + 1)
            stages = 1;
        else if (b.Horizon is { } h && indptr.Length == h * perStage + 1)
            stages = h;
        else
        {
            string expected = b.Horizon is { } hh ? $"S*A+1 = {perStage + 1} or H*S*A+1 = {hh * perStage + 1}" : $"S*A+1 = {perStage + 1}";
            throw new ModelValidationException("transitions_indptr", $"length {indptr.Length}, expected {expected}");
        }
        if (data.Length != nnz)
            throw new ModelValidationException("transitions_data", $"length {data.Length} differs from transitions_indices length {nnz}");
        if (indptr[0] != 0)
            throw new ModelValidationException("transitions_indptr", $"entry [0] is {indptr[0]} (must be 0)");
        if (indptr[^1] != nnz)
            throw new ModelValidationException("transitions_indptr", $"last entry [{indptr.Length - 1}] is {indptr[^1]}, expected nnz = {nnz} (the length of transitions_indices)");

        bool staged = stages > 1;
        var columns = b.TransitionColumns ?? new int[nnz];
        long rows = indptr.Length - 1;
        for (long row = 0; row < rows; row++)
        {
            long start = indptr[row], end = indptr[row + 1];
            if (end < start || end > nnz)
                throw new ModelValidationException("transitions_indptr", $"entry [{row + 1}] is {end} after {start}: row {Format.Row(row, S, A, staged)} has an invalid extent");
            double sum = 0;
            long previous = -1;
            for (long k = start; k < end; k++)
            {
                long column = b.TransitionColumns is not null ? b.TransitionColumns[k] : b.TransitionColumnsWide![k];
                if (column < 0 || column >= S)
                    throw new ModelValidationException("transitions_indices", $"entry [{k}] in row {Format.Row(row, S, A, staged)} is {column}, out of range [0, {S})");
                if (column <= previous)
                    throw new ModelValidationException("transitions_indices", $"entry [{k}] in row {Format.Row(row, S, A, staged)} is {column} after {previous} (columns must be strictly increasing within a row)");
                previous = column;
                columns[k] = (int)column;
                double p = data[k];
                if (!double.IsFinite(p) || p < 0)
                    throw new ModelValidationException("transitions_data", $"entry [{k}] in row {Format.Row(row, S, A, staged)} is {Format.Value(p)} (probabilities must be finite and >= 0)");
                sum += p;
            }
            CheckRowSum("transitions_data", sum, row, S, A, staged, b.RowSumTolerance);
        }
        return new TransitionTable((long[])indptr.Clone(), b.TransitionColumns is null ? columns : (int[])columns.Clone(), (double[])data.Clone(), stages);
    }

    private static TransitionTable FromDense(MdpBuilder b)
    {
        int S = b.StateCount, A = b.ActionCount;
        var dense = b.DenseTransitions!;
        var shape = b.DenseTransitionsShape ?? [S, A, S];
        int stages;
        if (shape.Length == 3 && shape[0] == S && shape[1] == A && shape[2] == S)
            stages = 1;
        else if (b.Horizon is { } h && shape.Length == 4 && shape[0] == h && shape[1] == S && shape[2] == A && shape[3] == S)
            stages = h;
        else
        {
            string expected = b.Horizon is { } hh ? $"[S,A,S] = ({S}, {A}, {S}) or [H,S,A,S] = ({hh}, {S}, {A}, {S})" : $"[S,A,S] = ({S}, {A}, {S})";
            throw new ModelValidationException("transitions", $"shape {Format.Shape(shape)}, expected {expected}");
        }
        long rows = (long)stages * S * A;
        if (dense.LongLength != rows * S)
            throw new ModelValidationException("transitions", $"has {dense.LongLength} values, expected {rows * S} for shape {Format.Shape(shape)}");

        bool staged = stages > 1;
        var rowPointers = new long[rows + 1];
        long nnz = 0;
        for (long row = 0; row < rows; row++)
        {
            double sum = 0;
            for (int next = 0; next < S; next++)
            {
                double p = dense[row * S + next];
                if (!double.IsFinite(p) || p < 0)
                {
                    string at = Format.Row(row, S, A, staged).TrimEnd(')') + $", s'={next})";
                    throw new ModelValidationException("transitions", $"entry {at} is {Format.Value(p)} (probabilities must be finite and >= 0)");
                }
                if (p != 0) nnz++;
                sum += p;
            }
            CheckRowSum("transitions", sum, row, S, A, staged, b.RowSumTolerance);
            rowPointers[row + 1] = nnz;
        }

        // Zeros are impossible transitions: dropping them is what makes the dense form and the CSR form one model.
        var columns = new int[nnz];
        var probabilities = new double[nnz];
        long k = 0;
        for (long row = 0; row < rows; row++)
        {
            for (int next = 0; next < S; next++)
            {
                double p = dense[row * S + next];
                if (p == 0) continue;
                columns[k] = next;
                probabilities[k++] = p;
            }
        }
        return new TransitionTable(rowPointers, columns, probabilities, stages);
    }

    private static void CheckRowSum(string key, double sum, long row, int S, int A, bool staged, double tolerance)
    {
        if (!(Math.Abs(sum - 1) <= tolerance))
            throw new ModelValidationException(key, $"row {Format.Row(row, S, A, staged)} sums to {Format.Value(sum)} (expected 1 within {Format.Value(tolerance)})");
    }
}
