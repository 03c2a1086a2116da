namespace TabularRL.Engine.Io;

/// <summary>Thrown when an array file (.npy, .npz or JSON) is malformed, truncated, unsupported or unreadable.</summary>
/// <remarks>
/// The message is always a single line of the form <c>file 'm.npz', array 'rewards': what is wrong</c>, so that a
/// command-line tool can print it as is; either prefix is left out when it is not known.
/// </remarks>
public sealed class ArrayFileException : Exception
{
    /// <summary>Creates an exception whose message is used verbatim.</summary>
    public ArrayFileException(string message)
        : base(message)
    {
        Problem = message;
    }

    /// <summary>Creates an exception whose message is used verbatim, wrapping the failure that caused it.</summary>
    public ArrayFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = message;
    }

    /// <summary>Creates an exception whose message names the file and array (when given) before the problem.</summary>
    /// <param name="fileName">The file as the user gave it, or null when unknown.</param>
    /// <param name="arrayName">The array (npz entry or JSON key), or null when unknown or not applicable.</param>
    /// <param name="problem">What is wrong, as a lower-case phrase without a trailing period.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public ArrayFileException(string? fileName, string? arrayName, string problem, Exception? innerException = null)
        : base(Compose(fileName, arrayName, problem), innerException)
    {
        FileName = fileName;
        ArrayName = arrayName;
        Problem = problem;
    }

    /// <summary>The file the problem was found in, when known.</summary>
    public string? FileName { get; }

    /// <summary>The array (npz entry or JSON key) the problem was found in, when known.</summary>
    public string? ArrayName { get; }

    /// <summary>The problem itself, without the file and array prefix.</summary>
    public string Problem { get; }

    private static string Compose(string? fileName, string? arrayName, string problem)
    {
        var parts = new List<string>(3);
        if (fileName is not null)
            parts.Add($"file '{fileName}'");
        if (arrayName is not null)
            parts.Add($"array '{arrayName}'");
        // Messages end up on one terminal line; reasons borrowed from the BCL sometimes carry line breaks.
        var flat = problem.ReplaceLineEndings(" ").Trim();
        return parts.Count == 0 ? flat : $"{string.Join(", ", parts)}: {flat}";
    }
}
