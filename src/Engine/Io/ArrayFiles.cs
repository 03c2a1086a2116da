namespace TabularRL.Engine.Io;

/// <summary>Reads and writes a set of named arrays as <c>.npz</c> or <c>.json</c>, chosen by the file's extension.</summary>
public static class ArrayFiles
{
    /// <summary>Whether <paramref name="path"/> names a JSON file (otherwise it must be <c>.npz</c>).</summary>
    private static bool IsJson(string path) => Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks that <paramref name="path"/> ends in <c>.npz</c> or <c>.json</c>.</summary>
    /// <param name="path">A file path.</param>
    /// <param name="role">What the file is for, used in the message (e.g. "model", "result").</param>
    /// <exception cref="ArrayFileException">Any other extension.</exception>
    public static void CheckExtension(string path, string role)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".npz" or ".json"))
            throw new ArrayFileException(path, null, $"a {role} file must end in .npz or .json, not '{extension}'");
    }

    /// <summary>All arrays of the file.</summary>
    /// <param name="path">An existing <c>.npz</c> or <c>.json</c> file.</param>
    /// <param name="role">What the file is for, used in messages.</param>
    public static IReadOnlyDictionary<string, NdArray> Read(string path, string role)
    {
        CheckExtension(path, role);
        return IsJson(path) ? JsonArrays.Read(path) : NpzArchive.Read(path);
    }

    /// <summary>Writes the arrays atomically: either the whole file appears or nothing does.</summary>
    /// <param name="path">Destination, <c>.npz</c> or <c>.json</c>.</param>
    /// <param name="arrays">Named arrays in the order to write them.</param>
    /// <param name="role">What the file is for, used in messages.</param>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NdArray>> arrays, string role)
    {
        CheckExtension(path, role);
        if (IsJson(path)) JsonArrays.Write(path, arrays);
        else NpzArchive.Write(path, arrays);
    }
}
