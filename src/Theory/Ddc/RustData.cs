namespace TabularRL.Theory.Ddc;

/// <summary>Finds the vendored <c>data/rust1987</c> folder, so that claims and tests run from a fresh clone.</summary>
public static class RustData
{
    /// <summary>The environment variable that overrides the search.</summary>
    public const string Variable = "TABRL_RUST_DATA";

    /// <summary>$TABRL_RUST_DATA if set, else the first <c>data/rust1987</c> found walking up from the current directory and
    /// from the application's base directory; null when none exists.</summary>
    public static string? Locate()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "data", "rust1987");
                if (Directory.Exists(candidate)) return candidate;
            }
        return null;
    }
}
