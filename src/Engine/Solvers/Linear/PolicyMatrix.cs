using TabularRL.Kernels;

namespace TabularRL.Engine.Solvers.Linear;

/// <summary>Builds P_pi(s,s') = sum_a pi(a|s) P(s'|s,a) and r_pi(s) = sum_a pi(a|s) r(s,a) as CSR, and transposes CSR.</summary>
internal static class PolicyMatrix
{
    /// <summary>The S x S transition matrix and reward vector of a stochastic policy for one stage.</summary>
    /// <param name="problem">Stage data.</param>
    /// <param name="policySA">[S*A] probabilities.</param>
    public static (SparseRows Matrix, double[] RewardS) Build(in BellmanProblem problem, ReadOnlySpan<double> policySA)
    {
        int S = problem.StateCount, A = problem.ActionCount;
        var rowPointers = problem.Transitions.RowPointers.Span;
        var columns = problem.Transitions.Columns.Span;
        var probabilities = problem.Transitions.Values.Span;
        var rewards = problem.RewardsSA.Span;

        // A dense accumulator with a list of touched columns merges the rows of the actions in use; each row's
        // columns are then sorted so that the result keeps the CSR invariant of strictly increasing columns.
        var accumulator = new double[S];
        var touched = new bool[S];
        var rowColumns = new List<int>();
        var outPointers = new long[S + 1];
        var outColumns = new List<int>(problem.Transitions.Columns.Length / Math.Max(1, A));
        var outValues = new List<double>(outColumns.Capacity);
        var rewardS = new double[S];
        for (int s = 0; s < S; s++)
        {
            rowColumns.Clear();
            double reward = 0;
            for (int a = 0; a < A; a++)
            {
                double weight = policySA[s * A + a];
                if (weight == 0) continue;
                int row = s * A + a;
                reward += weight * rewards[row];
                for (long k = rowPointers[row]; k < rowPointers[row + 1]; k++)
                {
                    int column = columns[(int)k];
                    if (!touched[column])
                    {
                        touched[column] = true;
                        rowColumns.Add(column);
                    }
                    accumulator[column] += weight * probabilities[(int)k];
                }
            }
            rowColumns.Sort();
            foreach (int column in rowColumns)
            {
                outColumns.Add(column);
                outValues.Add(accumulator[column]);
                accumulator[column] = 0;
                touched[column] = false;
            }
            outPointers[s + 1] = outColumns.Count;
            rewardS[s] = reward;
        }
        return (new SparseRows(outPointers, outColumns.ToArray(), outValues.ToArray()), rewardS);
    }

    /// <summary>The transpose of a square CSR matrix (counting sort by column, so rows of the result stay sorted).</summary>
    /// <param name="matrix">n x n CSR.</param>
    public static SparseRows Transpose(SparseRows matrix)
    {
        int n = matrix.RowCount;
        var rowPointers = matrix.RowPointers.Span;
        var columns = matrix.Columns.Span;
        var values = matrix.Values.Span;
        var counts = new long[n + 1];
        foreach (int column in columns) counts[column + 1]++;
        for (int i = 0; i < n; i++) counts[i + 1] += counts[i];
        var next = (long[])counts.Clone();
        var outColumns = new int[columns.Length];
        var outValues = new double[columns.Length];
        for (int row = 0; row < n; row++)
        {
            for (long k = rowPointers[row]; k < rowPointers[row + 1]; k++)
            {
                long slot = next[columns[(int)k]]++;
                outColumns[slot] = row;
                outValues[slot] = values[(int)k];
            }
        }
        return new SparseRows(counts, outColumns, outValues);
    }
}
