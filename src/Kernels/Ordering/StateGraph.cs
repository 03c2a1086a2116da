namespace TabularRL.Kernels.Ordering;

/// <summary>The undirected graph on states of a model's transition pattern: s ~ s' when an entry links them either way.</summary>
/// <remarks>Self-loops are dropped and each neighbour is stored once, in increasing order.</remarks>
internal sealed class StateGraph
{
    private readonly int[] _offsets;
    private readonly int[] _neighbours;

    private StateGraph(int[] offsets, int[] neighbours)
    {
        _offsets = offsets;
        _neighbours = neighbours;
    }

    /// <summary>S.</summary>
    public int StateCount => _offsets.Length - 1;

    /// <summary>The neighbours of a state, increasing.</summary>
    public ReadOnlySpan<int> Neighbours(int state) => _neighbours.AsSpan(_offsets[state], _offsets[state + 1] - _offsets[state]);

    /// <summary>The number of distinct neighbours of a state.</summary>
    public int Degree(int state) => _offsets[state + 1] - _offsets[state];

    /// <summary>The graph of CSR rows <c>h*S*A + s*A + a</c>.</summary>
    /// <exception cref="ArgumentException">The rows are not whole stages of S*A, or a column is out of [0, S).</exception>
    public static StateGraph Build(ReadOnlySpan<long> rowPointers, ReadOnlySpan<int> columns, int stateCount, int actionCount)
    {
        long rowsPerStage = (long)stateCount * actionCount;
        long rowCount = rowPointers.Length - 1;
        if (stateCount < 1 || actionCount < 1 || rowCount % rowsPerStage != 0)
            throw new ArgumentException($"{rowCount} rows are not a whole number of stages of S*A = {rowsPerStage} rows", nameof(rowPointers));

        // Both directions of every entry, counted and then placed (a counting sort by state).
        var counts = new long[stateCount + 1];
        ForEachLink(rowPointers, columns, stateCount, actionCount, (s, t) => { counts[s + 1]++; counts[t + 1]++; });
        for (int s = 0; s < stateCount; s++) counts[s + 1] += counts[s];
        if (counts[stateCount] > int.MaxValue)
            throw new ArgumentException($"the state graph has {counts[stateCount]} directed links, more than an int array holds", nameof(columns));
        var links = new int[counts[stateCount]];
        var fill = counts[..^1];
        ForEachLink(rowPointers, columns, stateCount, actionCount, (s, t) => { links[fill[s]++] = t; links[fill[t]++] = s; });

        // Sort each list and keep one copy of each neighbour.
        var offsets = new int[stateCount + 1];
        int kept = 0;
        for (int s = 0; s < stateCount; s++)
        {
            var list = links.AsSpan((int)counts[s], (int)(counts[s + 1] - counts[s]));
            list.Sort();
            for (int k = 0; k < list.Length; k++)
                if (k == 0 || list[k] != list[k - 1]) links[kept++] = list[k];
            offsets[s + 1] = kept;
        }
        return new StateGraph(offsets, links[..kept]);
    }

    // Calls link(s, s') for every stored entry with s != s', checking s' is a state.
    private static void ForEachLink(ReadOnlySpan<long> rowPointers, ReadOnlySpan<int> columns, int stateCount, int actionCount, Action<int, int> link)
    {
        long rowsPerStage = (long)stateCount * actionCount;
        for (long row = 0; row < rowPointers.Length - 1; row++)
        {
            int state = (int)(row % rowsPerStage / actionCount);
            for (long k = rowPointers[(int)row]; k < rowPointers[(int)row + 1]; k++)
            {
                int next = columns[(int)k];
                if ((uint)next >= (uint)stateCount)
                    throw new ArgumentException($"entry {k} (row {row}) has column {next}, outside [0, {stateCount})", nameof(columns));
                if (next != state) link(state, next);
            }
        }
    }
}
