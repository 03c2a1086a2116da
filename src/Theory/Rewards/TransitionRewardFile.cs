using TabularRL.Engine.Io;
using TabularRL.Engine.Model;

namespace TabularRL.Theory.Rewards;

/// <summary>Reads reward files (INTERFACES.md section 2) as a full R(s,a,s') for the reward-comparison commands.</summary>
public static class TransitionRewardFile
{
    /// <summary>Reads [S,A] (the same value for every s'), [S,A,S], or [nnz] aligned with the model's CSR entries.</summary>
    /// <remarks>
    /// A [nnz] file says nothing of impossible transitions; they are read as 0. Metrics that do not depend on them
    /// (STARC) are unaffected; EPIC and DARD's values depend on that choice (THEORY.md section 3).
    /// </remarks>
    /// <param name="path">A <c>.npy</c> file.</param>
    /// <param name="mdp">The infinite-horizon model the reward belongs to.</param>
    /// <param name="key">The argument's name, used in messages.</param>
    /// <exception cref="ModelValidationException">Wrong shape, non-finite values, or a finite-horizon model.</exception>
    public static TransitionReward Read(string path, Mdp mdp, string key)
    {
        TheoryModels.RequireDiscounted(mdp);
        var array = NpyFormat.ReadFile(path);
        if (array.Kind is not (NdArrayKind.Float or NdArrayKind.Integer))
            throw new ModelValidationException(key, $"has {array.Kind.ToString().ToLowerInvariant()} elements, expected numbers");
        return FromArray(array.ToDoubleArray(), [.. array.Shape], mdp, key);
    }

    /// <summary>As <see cref="Read"/>, from values already in memory.</summary>
    public static TransitionReward FromArray(double[] data, long[] shape, Mdp mdp, string key)
    {
        int S = mdp.StateCount, A = mdp.ActionCount;
        for (long i = 0; i < data.LongLength; i++)
            if (!double.IsFinite(data[i]))
                throw new ModelValidationException(key, $"entry {Position(i, shape)} is {Format.Value(data[i])} (rewards must be finite)");
        if (shape.Length == 2 && shape[0] == S && shape[1] == A)
            return TransitionReward.FromStateAction(S, A, data);
        if (shape.Length == 3 && shape[0] == S && shape[1] == A && shape[2] == S)
            return new TransitionReward(S, A, (double[])data.Clone());
        if (shape.Length == 1 && shape[0] == mdp.NonZeroCount)
        {
            var values = new double[(long)S * A * S];
            var pointers = mdp.RowPointers;
            var columns = mdp.Columns;
            for (int row = 0; row < S * A; row++)
                for (long k = pointers[row]; k < pointers[row + 1]; k++)
                    values[(long)row * S + columns[(int)k]] = data[k];
            return new TransitionReward(S, A, values);
        }
        throw new ModelValidationException(key, $"shape {Format.Shape(shape)}, expected [S,A] = ({S}, {A}), [S,A,S] = ({S}, {A}, {S}) or [nnz] = ({mdp.NonZeroCount},)");
    }

    // The index tuple of flat index i in a row-major array of this shape, e.g. "[3, 1, 7]".
    private static string Position(long i, long[] shape)
    {
        var index = new long[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            long extent = Math.Max(shape[axis], 1);
            index[axis] = i % extent;
            i /= extent;
        }
        return "[" + string.Join(", ", index) + "]";
    }
}
