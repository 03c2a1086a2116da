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

        var parsed = root.Parse(args);
        bool verbose = args.Contains("--verbose");
        if (parsed.Errors.Count > 0)
        {
            console.Error.WriteLine($"error: {OneLine(parsed.Errors[0].Message)} (see 'tabrl {CommandPath(parsed)}--help')");
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
        string name = parsed.CommandResult.Command.Name;
        return parsed.CommandResult.Command is RootCommand ? "" : name + " ";
    }
}
