using System.CommandLine;
using TabularRL.Engine.Io;
using TabularRL.Engine.Model;
using TabularRL.Kernels;
using TabularRL.Kernels.Backends;

namespace TabularRL.Cli;

/// <summary>The options every computing command shares (INTERFACES.md section 4), and their interpretation.</summary>
internal sealed class CommonOptions
{
    private CommonOptions(Command command, bool computes)
    {
        Format = new Option<string>("--format") { Description = "What goes to stdout: table or json.", DefaultValueFactory = _ => "table" };
        Format.AcceptOnlyFromAmong("table", "json");
        Out = new Option<string?>("--out") { Description = "Write the result to FILE (.npz or .json, by extension)." };
        Verbose = new Option<bool>("--verbose") { Description = "Say which backend ran; print stack traces with errors." };
        RowTolerance = new Option<double>("--row-tolerance") { Description = "How far a transition row may sum from 1.", DefaultValueFactory = _ => 1e-9 };
        Backend = new Option<string?>("--backend") { Description = "auto, cpu, cuda or reference (default: $TABRL_BACKEND, else auto)." };
        Backend.AcceptOnlyFromAmong([.. BackendFactory.Names]);
        command.Options.Add(Format);
        command.Options.Add(Out);
        command.Options.Add(Verbose);
        if (!computes) return;
        command.Options.Add(RowTolerance);
        command.Options.Add(Backend);
    }

    public Option<string> Format { get; }

    public Option<string?> Out { get; }

    public Option<bool> Verbose { get; }

    public Option<double> RowTolerance { get; }

    public Option<string?> Backend { get; }

    /// <summary>Adds the shared options to <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    /// <param name="computes">Whether the command runs solvers (then it also takes --backend and --row-tolerance).</param>
    public static CommonOptions AddTo(Command command, bool computes = true) => new(command, computes);

    public bool Json(ParseResult parsed) => parsed.GetValue(Format) == "json";

    /// <summary>The --out path, checked before any work so that a bad destination fails fast and writes nothing.</summary>
    public string? OutPath(ParseResult parsed)
    {
        string? path = parsed.GetValue(Out);
        if (path is null) return null;
        ArrayFiles.CheckExtension(path, "result");
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
            throw new UsageException($"--out: directory '{directory}' does not exist");
        return path;
    }

    /// <summary>Creates the backend named by --backend, else by TABRL_BACKEND, else auto.</summary>
    /// <param name="parsed">The parse result.</param>
    /// <param name="console">Where --verbose says which backend runs.</param>
    /// <param name="threads">Threads for the cpu backend (0: one per processor); other backends ignore it.</param>
    public IBellmanBackend CreateBackend(ParseResult parsed, CliConsole console, int threads = 0)
    {
        string name = parsed.GetValue(Backend) ?? Environment.GetEnvironmentVariable("TABRL_BACKEND") ?? "auto";
        IBellmanBackend backend;
        string? note;
        try
        {
            backend = BackendFactory.Create(name, out note);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--backend: {e.Message.Split(" (Parameter")[0]}");
        }
        // The factory decides what 'auto' means; only a cpu backend it chose is rebuilt with the thread count, so that
        // the factory's choice stays in one place.
        if (threads > 0 && backend is CpuBackend)
        {
            backend.Dispose();
            backend = new CpuBackend(threads);
        }
        if (parsed.GetValue(Verbose))
            console.Error.WriteLine($"backend: {backend.Name} (asked for '{name}'{(note is null ? "" : "; " + note)})");
        return backend;
    }

    /// <summary>Reads and validates a model, prefixing errors with the file name.</summary>
    public Mdp LoadModel(string path, ParseResult parsed)
    {
        try
        {
            return ModelFile.Read(path, parsed.GetValue(RowTolerance));
        }
        catch (ModelValidationException e)
        {
            throw new UsageException($"{path}: {e.Message}");
        }
    }
}
