namespace TabularRL.Kernels.Ordering;

/// <summary>Reverse Cuthill-McKee ordering of the states of a model, for locality of the gathers of V.</summary>
/// <remarks>
/// A sweep reads V at the next states of each row. When the numbering puts next states far from the state being
/// backed up, each gather misses the caches that the neighbouring rows warmed; a numbering of small bandwidth keeps
/// them together. Cuthill and McKee (1969) number a graph breadth-first from a peripheral vertex, taking the
/// neighbours of each vertex in increasing degree; reversing the result (George, 1971) gives the same bandwidth and
/// less fill. The graph is that of the model with the direction dropped: s ~ s' when some action at some stage moves
/// s to s' with a stored entry, or s' to s. The start vertex of each connected component is the pseudo-peripheral
/// vertex of Gibbs, Poole and Stockmeyer's search as George and Liu (1979) state it: from a vertex of least degree,
/// repeat "go to a vertex of least degree in the last breadth-first level" while the depth grows. Ties go to the
/// lower state index, so the ordering is a deterministic function of the sparsity pattern.
/// Measured with <c>tabrl bench --reorder rcm</c> in benchmarks/README.md: it restores the speed of a grid-like model
/// whose states were numbered at random, and changes little on a model whose next states are random (an expander
/// has no numbering of small bandwidth).
/// </remarks>
public static class ReverseCuthillMcKee
{
    /// <summary>The reverse Cuthill-McKee permutation of the state graph of CSR rows <c>h*S*A + s*A + a</c>.</summary>
    /// <param name="rowPointers">[stages*S*A + 1] absolute offsets.</param>
    /// <param name="columns">Next states in [0, S), indexed by the offsets.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    /// <exception cref="ArgumentException">The rows are not whole stages of S*A, or a column is out of range.</exception>
    public static StatePermutation Order(ReadOnlySpan<long> rowPointers, ReadOnlySpan<int> columns, int stateCount, int actionCount)
    {
        var graph = StateGraph.Build(rowPointers, columns, stateCount, actionCount);
        var search = new BreadthFirstSearch(graph);
        var order = new int[stateCount];
        var numbered = new bool[stateCount];
        Comparison<int> byDegree = (a, b) => graph.Degree(a) != graph.Degree(b) ? graph.Degree(a).CompareTo(graph.Degree(b)) : a.CompareTo(b);
        int placed = 0;
        for (int seed = 0; seed < stateCount; seed++)
        {
            if (numbered[seed]) continue;
            int start = PseudoPeripheral(graph, search, seed);
            placed = NumberComponent(graph, start, numbered, order, placed, byDegree);
        }
        Array.Reverse(order);
        return new StatePermutation(order);
    }

    // Cuthill-McKee numbering of the component of start, appended to order from position placed.
    private static int NumberComponent(StateGraph graph, int start, bool[] numbered, int[] order, int placed, Comparison<int> byDegree)
    {
        int head = placed;
        order[placed++] = start;
        numbered[start] = true;
        while (head < placed)
        {
            int state = order[head++];
            int firstNew = placed;
            foreach (int next in graph.Neighbours(state))
            {
                if (numbered[next]) continue;
                numbered[next] = true;
                order[placed++] = next;
            }
            order.AsSpan(firstNew, placed - firstNew).Sort(byDegree);
        }
        return placed;
    }

    // George and Liu's search: from a vertex of least degree in seed's component, move to a vertex of least degree in
    // the deepest breadth-first level while that makes the level structure deeper.
    private static int PseudoPeripheral(StateGraph graph, BreadthFirstSearch search, int seed)
    {
        search.Run(seed);
        int start = search.LeastDegreeAtLevel(-1);
        search.Run(start);
        int depth = search.Depth;
        while (true)
        {
            int candidate = search.LeastDegreeAtLevel(depth);
            search.Run(candidate);
            if (search.Depth <= depth) return start;
            start = candidate;
            depth = search.Depth;
        }
    }

    /// <summary>Breadth-first levels over one component, with scratch reused between searches.</summary>
    private sealed class BreadthFirstSearch(StateGraph graph)
    {
        private readonly int[] _level = new int[graph.StateCount];
        private readonly int[] _stamp = new int[graph.StateCount];
        private readonly List<int> _members = [];
        private int _generation;

        /// <summary>The deepest level of the last search.</summary>
        public int Depth { get; private set; }

        /// <summary>Finds the levels of root's component.</summary>
        public void Run(int root)
        {
            _generation++;
            _members.Clear();
            _members.Add(root);
            _stamp[root] = _generation;
            _level[root] = 0;
            for (int head = 0; head < _members.Count; head++)
            {
                int state = _members[head];
                foreach (int next in graph.Neighbours(state))
                {
                    if (_stamp[next] == _generation) continue;
                    _stamp[next] = _generation;
                    _level[next] = _level[state] + 1;
                    _members.Add(next);
                }
            }
            Depth = _level[_members[^1]];
        }

        /// <summary>The member of least degree (lowest index on ties) at the given level, or among all members when level is negative.</summary>
        public int LeastDegreeAtLevel(int level)
        {
            int best = -1, bestDegree = int.MaxValue;
            foreach (int state in _members)
            {
                if (level >= 0 && _level[state] != level) continue;
                int degree = graph.Degree(state);
                if (degree < bestDegree || (degree == bestDegree && state < best))
                {
                    best = state;
                    bestDegree = degree;
                }
            }
            return best;
        }
    }
}
