using System.Diagnostics;
using TabularRL.Engine.Solvers;

namespace TabularRL.Cli.Output;

/// <summary>Shows solver progress on stderr, at most five times a second, and only when stderr is a terminal.</summary>
internal sealed class ProgressReporter : IProgress<SolverProgress>, IDisposable
{
    private readonly TextWriter _error;
    private readonly string _what;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastMs = -1000;
    private bool _shown;

    private ProgressReporter(TextWriter error, string what)
    {
        _error = error;
        _what = what;
    }

    /// <summary>A reporter when stderr is a terminal, otherwise null (INTERFACES.md: never when it is not).</summary>
    public static ProgressReporter? For(CliConsole console, string what)
        => console.ErrorIsTerminal ? new ProgressReporter(console.Error, what) : null;

    public void Report(SolverProgress value)
    {
        long now = _clock.ElapsedMilliseconds;
        if (now - _lastMs < 200) return;
        _lastMs = now;
        _shown = true;
        _error.Write($"\r{_what}: iteration {value.Iteration}, bound {Printer.Small(value.ErrorBound)}   ");
    }

    public void Dispose()
    {
        if (_shown) _error.Write("\r" + new string(' ', 72) + "\r");
    }
}
