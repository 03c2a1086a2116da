namespace TabularRL.Cli;

/// <summary>Exit codes of INTERFACES.md section 4.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>An internal failure, including numerical trouble the input did not rule out.</summary>
    public const int Failure = 1;

    /// <summary>Bad input: an unreadable or invalid file, or a bad option.</summary>
    public const int BadInput = 2;
}

/// <summary>A bad option or option combination; exits with <see cref="ExitCodes.BadInput"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);
