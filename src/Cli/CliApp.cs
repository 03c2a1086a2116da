using System.CommandLine;
using TabularRL.Cli.Commands;
using TabularRL.Engine.Io;
using TabularRL.Engine.Model;
using TabularRL.Engine.Solvers;

namespace TabularRL.Cli;

/// <summary>Builds the command tree, runs it, and maps every failure to one <c>error:</c> line and an exit code.</summary>
internal static class CliApp
{
    /// <summary>Runs <c>tabrl</c> with <paramref name="args"/>; used by <see cref="Program"/> and by the tests in-process.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="console">Where to print.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, CliConsole console)
    {
        var root = new RootCommand("TabularRL: exact solvers for finite MDPs and numerical checks of RL theory.");
        root.Subcommands.Add(SolveCommand.Create(console));
        root.Subcommands.Add(EvaluateCommand.Create(console));
        root.Subcommands.Add(OccupancyCommand.Create(console));
        root.Subcommands.Add(GenerateCommand.Create(console));
        root.Subcommands.Add(InfoCommand.Create(console));
        root.Subcommands.Add(BenchCommand.Create(console));
        root.Subcommands.Add(DistanceCommand.Create(console));
        root.Subcommands.Add(RegretCommand.Create(console));
        root.Subcommands.Add(InferCommand.Create(console));
        root.Subcommands.Add(VerifyCommand.Create(console));
        root.Subcommands.Add(ExperimentCommand.Create(console));
        root.Subcommands.Add(DdcCommand.Create(console));

        var parsed = root.Parse(args);
        bool verbose = args.Contains("--verbose");
        if (parsed.Errors.Count > 0)
        {
            // "Required command was not provided" comes first for 'tabrl frobnicate'; the unrecognised token says more.
            var error = parsed.Errors.FirstOrDefault(e => !e.Message.StartsWith("Required command was not provided", StringComparison.Ordinal)) ?? parsed.Errors[0];
            console.Error.WriteLine($"error: {OneLine(error.Message)} (see 'tabrl {CommandPath(parsed)}--help')");
            return ExitCodes.BadInput;
        }
        // An unknown option such as '--bogus' binds to a free MODEL argument instead of failing the parse; name it as what it is.
        string? stray = parsed.CommandResult.Children.OfType<System.CommandLine.Parsing.ArgumentResult>().SelectMany(a => a.Tokens)
            .Select(t => t.Value).FirstOrDefault(v => v.Length > 1 && v[0] == '-' && !File.Exists(v));
        if (stray is not null)
        {
            console.Error.WriteLine($"error: Unrecognized command or argument '{stray}'. (see 'tabrl {CommandPath(parsed)}--help')");
            return ExitCodes.BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (BadInput(e))
        {
            console.Error.WriteLine($"error: {OneLine(e.Message)}");
            if (verbose) console.Error.WriteLine(e);
            return ExitCodes.BadInput;
        }
        catch (NumericalException e)
        {
            console.Error.WriteLine($"error: {OneLine(e.Message)}");
            if (verbose) console.Error.WriteLine(e);
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            console.Error.WriteLine($"error: internal failure: {OneLine(e.Message)}" + (verbose ? "" : " (run with --verbose for details)"));
            if (verbose) console.Error.WriteLine(e);
            return ExitCodes.Failure;
        }
    }

    // Invalid files and options are the user's to fix (exit 2); anything else is ours (exit 1).
    private static bool BadInput(Exception e) => e is UsageException or ModelValidationException or ArrayFileException
        or ArgumentException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private static string CommandPath(ParseResult parsed)
    {
        // The full path, e.g. "generate garnet ", so the hint names a command that exists.
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null && result.Command is not RootCommand; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command.Name);
        return string.Concat(names.Select(n => n + " "));
    }
}
