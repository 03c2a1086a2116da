namespace TabularRL.Kernels.Ordering;

/// <summary>A relabelling of the states of a model: state <c>old</c> becomes state <c>new</c>.</summary>
/// <remarks>
/// Reordering changes which states sit next to each other in memory, and so how far apart in V the gathers of one row
/// land; it does not change the model. A sweep on the relabelled model computes, state by state, what the sweep on
/// the original computes, up to the order of the terms within a row (the columns are relabelled and sorted again).
/// Actions keep their indices, so the lowest-index tie rule picks the same action.
/// </remarks>
public sealed class StatePermutation
{
    private readonly int[] _newToOld;
    private readonly int[] _oldToNew;

    /// <summary>Creates the permutation that puts original state <c>newToOld[n]</c> at position <c>n</c>.</summary>
    /// <param name="newToOld">[S] every state in [0, S) exactly once.</param>
    /// <exception cref="ArgumentException">An entry is out of range or repeated.</exception>
    public StatePermutation(int[] newToOld)
    {
        ArgumentNullException.ThrowIfNull(newToOld);
        var oldToNew = new int[newToOld.Length];
        oldToNew.AsSpan().Fill(-1);
        for (int n = 0; n < newToOld.Length; n++)
        {
            int old = newToOld[n];
            if ((uint)old >= (uint)newToOld.Length)
                throw new ArgumentException($"entry {n} is {old}, outside [0, {newToOld.Length})", nameof(newToOld));
            if (oldToNew[old] >= 0)
                throw new ArgumentException($"state {old} appears at {oldToNew[old]} and at {n}", nameof(newToOld));
            oldToNew[old] = n;
        }
        _newToOld = (int[])newToOld.Clone();
        _oldToNew = oldToNew;
    }

    /// <summary>S.</summary>
    public int StateCount => _newToOld.Length;

    /// <summary>[S] the original state at each new position.</summary>
    public ReadOnlySpan<int> NewToOld => _newToOld;

    /// <summary>[S] the new position of each original state.</summary>
    public ReadOnlySpan<int> OldToNew => _oldToNew;

    /// <summary>Moves per-state blocks into the new order: <c>permuted[(n*block + j)] = original[old(n)*block + j]</c>, for every stacked stage.</summary>
    /// <param name="original">[stages*S*block] in the original order.</param>
    /// <param name="permuted">Output, the same length.</param>
    /// <param name="block">Entries per state: 1 for V, A for Q or rewards over (s, a).</param>
    public void ToNew<T>(ReadOnlySpan<T> original, Span<T> permuted, int block) => Move(original, permuted, block, _newToOld);

    /// <summary>Moves per-state blocks back into the original order (the inverse of <see cref="ToNew{T}"/>).</summary>
    /// <param name="permuted">[stages*S*block] in the new order.</param>
    /// <param name="original">Output, the same length.</param>
    /// <param name="block">Entries per state.</param>
    public void ToOriginal<T>(ReadOnlySpan<T> permuted, Span<T> original, int block) => Move(permuted, original, block, _oldToNew);

    /// <summary>The CSR rows <c>h*S*A + s*A + a</c> of every stacked stage in the new order, with relabelled columns sorted within each row.</summary>
    /// <param name="rowPointers">[stages*S*A + 1] absolute offsets.</param>
    /// <param name="columns">The column array the offsets point into.</param>
    /// <param name="actionCount">A.</param>
    /// <returns>Row pointers from 0, the relabelled columns, and for each new entry the index of its source entry, so
    /// that any array aligned with the columns (probabilities, per-transition rewards) follows with <see cref="Gather{T}"/>.</returns>
    /// <exception cref="ArgumentException">The row count is not a multiple of S*A.</exception>
    public PermutedRows PermuteRows(ReadOnlySpan<long> rowPointers, ReadOnlySpan<int> columns, int actionCount)
    {
        long rowsPerStage = (long)StateCount * actionCount;
        long rowCount = rowPointers.Length - 1;
        if (actionCount < 1 || rowsPerStage == 0 || rowCount % rowsPerStage != 0)
            throw new ArgumentException($"{rowCount} rows are not a whole number of stages of S*A = {rowsPerStage} rows", nameof(rowPointers));
        long first = rowPointers[0];
        var newPointers = new long[rowCount + 1];
        var newColumns = new int[rowPointers[^1] - first];
        var sources = new int[newColumns.Length];
        long written = 0;
        for (long row = 0; row < rowCount; row++)
        {
            long stage = row / rowsPerStage, within = row % rowsPerStage;
            long sourceRow = stage * rowsPerStage + (long)_newToOld[within / actionCount] * actionCount + within % actionCount;
            long start = rowPointers[(int)sourceRow], end = rowPointers[(int)sourceRow + 1];
            int length = (int)(end - start);
            for (int k = 0; k < length; k++)
            {
                newColumns[written + k] = _oldToNew[columns[(int)(start + k)]];
                sources[written + k] = (int)(start + k);
            }
            // Relabelling breaks the increasing order of the columns; the kernels and the file format want it back.
            Array.Sort(newColumns, sources, (int)written, length);
            written += length;
            newPointers[row + 1] = written;
        }
        return new PermutedRows(newPointers, newColumns, sources);
    }

    /// <summary>An array aligned with the source columns, in the order of <see cref="PermutedRows.Columns"/>.</summary>
    /// <param name="rows">The result of <see cref="PermuteRows"/>.</param>
    /// <param name="values">The source array, indexed like the column array given to <see cref="PermuteRows"/>.</param>
    public static T[] Gather<T>(PermutedRows rows, ReadOnlySpan<T> values)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sources = rows.SourceEntries;
        var gathered = new T[sources.Length];
        for (int k = 0; k < gathered.Length; k++) gathered[k] = values[sources[k]];
        return gathered;
    }

    /// <summary>The Bellman problem on the relabelled states (probabilities in the problem's own storage).</summary>
    /// <param name="problem">A problem over <see cref="StateCount"/> states.</param>
    /// <exception cref="ArgumentException">The problem has another number of states.</exception>
    public BellmanProblem Apply(in BellmanProblem problem)
    {
        if (problem.StateCount != StateCount)
            throw new ArgumentException($"the problem has {problem.StateCount} states, the permutation {StateCount}", nameof(problem));
        var transitions = problem.Transitions;
        var rows = PermuteRows(transitions.RowPointers.Span, transitions.Columns.Span, problem.ActionCount);
        var permutedRows = transitions.IsSingle
            ? new SparseRows(rows.RowPointers, rows.Columns, Gather(rows, transitions.SingleValues.Span))
            : new SparseRows(rows.RowPointers, rows.Columns, Gather(rows, transitions.DoubleValues.Span));
        var rewardsSA = new double[problem.RewardsSA.Length];
        ToNew(problem.RewardsSA.Span, rewardsSA, problem.ActionCount);
        return new BellmanProblem(permutedRows, rewardsSA, problem.StateCount, problem.ActionCount, problem.Discount);
    }

    // target[n*block + j] = source[map[n]*block + j] over every stacked copy of S blocks.
    private static void Move<T>(ReadOnlySpan<T> source, Span<T> target, int block, int[] map)
    {
        int stateCount = map.Length;
        long perStage = (long)stateCount * block;
        if (block < 1 || source.Length != target.Length || perStage == 0 || source.Length % perStage != 0)
            throw new ArgumentException($"{source.Length} entries into {target.Length} are not whole stages of S*block = {perStage}", nameof(source));
        for (long offset = 0; offset < source.Length; offset += perStage)
            for (int n = 0; n < stateCount; n++)
                source.Slice((int)(offset + (long)map[n] * block), block).CopyTo(target.Slice((int)(offset + (long)n * block), block));
    }
}

/// <summary>CSR rows after <see cref="StatePermutation.PermuteRows"/>.</summary>
/// <param name="RowPointers">[rows + 1] offsets from 0.</param>
/// <param name="Columns">[nnz] relabelled columns, increasing within each row.</param>
/// <param name="SourceEntries">[nnz] the index of each entry in the source arrays.</param>
public sealed record PermutedRows(long[] RowPointers, int[] Columns, int[] SourceEntries);
