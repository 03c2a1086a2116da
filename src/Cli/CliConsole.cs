namespace TabularRL.Cli;

/// <summary>Where a command prints: stdout for results, stderr for errors, warnings and progress.</summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="ErrorIsTerminal">Whether stderr is a terminal; progress is shown only then (INTERFACES.md section 4).</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool ErrorIsTerminal);
