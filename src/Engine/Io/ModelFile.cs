using TabularRL.Engine.Model;

namespace TabularRL.Engine.Io;

/// <summary>Model files (INTERFACES.md section 1): the keys of an <see cref="Mdp"/> in <c>.npz</c> or <c>.json</c>.</summary>
public static class ModelFile
{
    /// <summary>Reads and validates a model.</summary>
    /// <param name="path">A <c>.npz</c> or <c>.json</c> file.</param>
    /// <param name="rowSumTolerance">How far a transition row may sum from 1.</param>
    /// <exception cref="ArrayFileException">The file is unreadable or malformed.</exception>
    /// <exception cref="ModelValidationException">The model violates section 1 (key, row and value named).</exception>
    public static Mdp Read(string path, double rowSumTolerance = 1e-9)
        => FromArrays(ArrayFiles.Read(path, "model"), rowSumTolerance);

    /// <summary>Builds a model from named arrays (the keys of section 1).</summary>
    /// <param name="arrays">Arrays by key.</param>
    /// <param name="rowSumTolerance">How far a transition row may sum from 1.</param>
    public static Mdp FromArrays(IReadOnlyDictionary<string, NdArray> arrays, double rowSumTolerance = 1e-9)
    {
        var builder = new MdpBuilder
        {
            StateCount = Count(arrays, "num_states"),
            ActionCount = Count(arrays, "num_actions"),
            Discount = Required(arrays, "discount").AsDouble("discount"),
            Horizon = arrays.ContainsKey("horizon") ? Count(arrays, "horizon") : null,
            RowSumTolerance = rowSumTolerance,
        };
        if (arrays.TryGetValue("initial_distribution", out var mu0))
            builder.InitialDistribution = Vector(mu0, "initial_distribution");
        if (arrays.TryGetValue("transitions", out var dense))
        {
            builder.DenseTransitions = Numbers(dense, "transitions");
            builder.DenseTransitionsShape = [.. dense.Shape];
        }
        if (arrays.TryGetValue("transitions_indptr", out var indptr))
            builder.TransitionRowPointers = Integers(indptr, "transitions_indptr").ToInt64Array();
        if (arrays.TryGetValue("transitions_indices", out var indices))
        {
            Integers(indices, "transitions_indices");
            if (indices.Ints is not null) builder.TransitionColumns = indices.Ints;
            else builder.TransitionColumnsWide = indices.ToInt64Array();
            RequireVector(indices, "transitions_indices");
        }
        if (arrays.TryGetValue("transitions_data", out var data))
            builder.TransitionProbabilities = Vector(data, "transitions_data");
        if (arrays.TryGetValue("rewards", out var rewards))
        {
            builder.Rewards = Numbers(rewards, "rewards");
            builder.RewardsShape = [.. rewards.Shape];
        }
        if (arrays.TryGetValue("rewards_sas_data", out var aligned))
            builder.TransitionRewards = Vector(aligned, "rewards_sas_data");
        return builder.Build();
    }

    /// <summary>Writes a model as CSR transitions with rewards [S,A] ([H,S,A] if stage-dependent) or <c>rewards_sas_data</c>.</summary>
    /// <param name="path">Destination <c>.npz</c> or <c>.json</c>; written atomically.</param>
    /// <param name="mdp">The model.</param>
    public static void Write(string path, Mdp mdp) => ArrayFiles.Write(path, ToArrays(mdp), "model");

    /// <summary>The arrays of a model, keyed as in section 1.</summary>
    /// <param name="mdp">The model.</param>
    public static IEnumerable<KeyValuePair<string, NdArray>> ToArrays(Mdp mdp)
    {
        int S = mdp.StateCount, A = mdp.ActionCount;
        yield return new("num_states", NdArray.Scalar((long)S));
        yield return new("num_actions", NdArray.Scalar((long)A));
        yield return new("discount", NdArray.Scalar(mdp.Discount));
        if (mdp.Horizon is { } h) yield return new("horizon", NdArray.Scalar((long)h));
        yield return new("initial_distribution", NdArray.FromDoubles(mdp.InitialDistribution.ToArray(), S));
        yield return new("transitions_indptr", NdArray.FromLongs(mdp.RowPointers.ToArray(), mdp.RowPointers.Length));
        yield return new("transitions_indices", NdArray.FromInts(mdp.Columns.ToArray(), mdp.Columns.Length));
        yield return new("transitions_data", NdArray.FromDoubles(mdp.Probabilities.ToArray(), mdp.Probabilities.Length));
        if (mdp.HasTransitionRewards)
            yield return new("rewards_sas_data", NdArray.FromDoubles(mdp.TransitionRewards.ToArray(), mdp.TransitionRewards.Length));
        else if (mdp.RewardStageCount == 1)
            yield return new("rewards", NdArray.FromDoubles(mdp.ExpectedRewards.ToArray(), S, A));
        else
            yield return new("rewards", NdArray.FromDoubles(mdp.ExpectedRewards.ToArray(), mdp.RewardStageCount, S, A));
    }

    private static NdArray Required(IReadOnlyDictionary<string, NdArray> arrays, string key)
        => arrays.TryGetValue(key, out var array) ? array : throw new ModelValidationException(key, "missing (a required key)");

    private static int Count(IReadOnlyDictionary<string, NdArray> arrays, string key)
    {
        long value = Required(arrays, key).AsInt64(key);
        if (value < int.MinValue || value > int.MaxValue)
            throw new ModelValidationException(key, $"{value} is out of range");
        return (int)value;
    }

    private static NdArray Integers(NdArray array, string key)
    {
        if (array.Kind != NdArrayKind.Integer)
            throw new ModelValidationException(key, $"has {array.Kind.ToString().ToLowerInvariant()} elements, expected integers");
        return array;
    }

    private static double[] Numbers(NdArray array, string key)
    {
        if (array.Kind is not (NdArrayKind.Float or NdArrayKind.Integer))
            throw new ModelValidationException(key, $"has {array.Kind.ToString().ToLowerInvariant()} elements, expected numbers");
        return array.ToDoubleArray();
    }

    private static double[] Vector(NdArray array, string key)
    {
        RequireVector(array, key);
        return Numbers(array, key);
    }

    private static void RequireVector(NdArray array, string key)
    {
        if (array.Rank != 1)
            throw new ModelValidationException(key, $"shape {Format.Shape(array.Shape)}, expected one axis");
    }
}
