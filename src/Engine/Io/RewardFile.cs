using TabularRL.Engine.Model;

namespace TabularRL.Engine.Io;

/// <summary>Reward files (INTERFACES.md section 2): [S,A], [S,A,S], [H,S,A], [H,S,A,S] or [nnz] aligned with the model's CSR.</summary>
public static class RewardFile
{
    /// <summary>Reads a reward and returns its expected rewards rbar under the model's transitions.</summary>
    /// <param name="path">A <c>.npy</c> file.</param>
    /// <param name="mdp">The model whose transitions weight R(s,a,s').</param>
    /// <param name="key">The option name, used in messages.</param>
    /// <returns>[stages*S*A] expected rewards.</returns>
    public static double[] ReadExpected(string path, Mdp mdp, string key = "reward")
    {
        var array = NpyFormat.ReadFile(path);
        if (array.Kind is not (NdArrayKind.Float or NdArrayKind.Integer))
            throw new ModelValidationException(key, $"has {array.Kind.ToString().ToLowerInvariant()} elements, expected numbers");
        return RewardTable.ExpectedFor(mdp, array.ToDoubleArray(), [.. array.Shape], key);
    }

    /// <summary>Writes a reward array as <c>.npy</c>.</summary>
    /// <param name="path">Destination.</param>
    /// <param name="rewards">Row-major values.</param>
    /// <param name="shape">Its shape.</param>
    public static void Write(string path, double[] rewards, params long[] shape)
        => NpyFormat.WriteFile(path, NdArray.FromDoubles(rewards, shape));
}
