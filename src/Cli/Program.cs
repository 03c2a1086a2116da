namespace TabularRL.Cli;

/// <summary>Entry point of the <c>tabrl</c> command.</summary>
internal static class Program
{
    private static int Main(string[] args)
        => CliApp.Run(args, new CliConsole(Console.Out, Console.Error, ErrorIsTerminal: !Console.IsErrorRedirected));
}
