using TabularRL.Engine.Model;

namespace TabularRL.Engine.Io;

/// <summary>Policy files (INTERFACES.md section 2): [S,A] or [H,S,A] probabilities, or [S] or [H,S] integer actions.</summary>
/// <remarks>
/// Besides a <c>.npy</c> array, a result file (<c>.npz</c>/<c>.json</c> from <c>tabrl solve</c>) is accepted: its
/// <c>policy</c> key is read, so that a solved policy can be evaluated directly.
/// </remarks>
public static class PolicyFile
{
    /// <summary>Reads a policy for <paramref name="mdp"/>.</summary>
    /// <param name="path">A <c>.npy</c> file, or a result <c>.npz</c>/<c>.json</c> with a <c>policy</c> key.</param>
    /// <param name="mdp">The model the policy is for.</param>
    /// <param name="key">The option name, used in messages.</param>
    public static Policy Read(string path, Mdp mdp, string key = "policy")
    {
        NdArray array;
        if (Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase))
            array = NpyFormat.ReadFile(path);
        else
        {
            var arrays = ArrayFiles.Read(path, "policy");
            array = arrays.TryGetValue("policy", out var p) ? p
                : throw new ArrayFileException(path, null, "has no 'policy' array (give a .npy policy or a result file)");
        }
        return FromArray(array, mdp, key);
    }

    /// <summary>Interprets an array as a policy for <paramref name="mdp"/>.</summary>
    /// <param name="array">Float [S,A]/[H,S,A] or integer [S]/[H,S].</param>
    /// <param name="mdp">The model.</param>
    /// <param name="key">The option name, used in messages.</param>
    public static Policy FromArray(NdArray array, Mdp mdp, string key = "policy")
    {
        int S = mdp.StateCount, A = mdp.ActionCount, H = mdp.StageCount;
        var shape = array.Shape;
        if (array.Kind == NdArrayKind.Integer)
        {
            int stages = shape.Count == 1 && shape[0] == S ? 1 : shape.Count == 2 && mdp.IsFiniteHorizon && shape[0] == H && shape[1] == S ? H : -1;
            if (stages < 0)
                throw new ModelValidationException(key, $"integer actions of shape {Format.Shape(shape)}, expected [S] = ({S},)" + (mdp.IsFiniteHorizon ? $" or [H,S] = ({H}, {S})" : ""));
            return Policy.FromActions(array.ToInt32Array(key), stages, S, A, key);
        }
        if (array.Kind == NdArrayKind.Float)
        {
            int stages = shape.Count == 2 && shape[0] == S && shape[1] == A ? 1
                : shape.Count == 3 && mdp.IsFiniteHorizon && shape[0] == H && shape[1] == S && shape[2] == A ? H : -1;
            if (stages < 0)
                throw new ModelValidationException(key, $"probabilities of shape {Format.Shape(shape)}, expected [S,A] = ({S}, {A})" + (mdp.IsFiniteHorizon ? $" or [H,S,A] = ({H}, {S}, {A})" : ""));
            return Policy.FromProbabilities(array.ToDoubleArray(), stages, S, A, key: key);
        }
        throw new ModelValidationException(key, $"has {array.Kind.ToString().ToLowerInvariant()} elements, expected probabilities or integer actions");
    }

    /// <summary>Writes a policy as [S,A] (or [H,S,A]) probabilities in <c>.npy</c>.</summary>
    /// <param name="path">Destination.</param>
    /// <param name="policy">The policy.</param>
    public static void Write(string path, Policy policy)
    {
        long[] shape = policy.StageCount == 1 ? [policy.StateCount, policy.ActionCount] : [policy.StageCount, policy.StateCount, policy.ActionCount];
        NpyFormat.WriteFile(path, NdArray.FromDoubles(policy.Probabilities.ToArray(), shape));
    }
}
