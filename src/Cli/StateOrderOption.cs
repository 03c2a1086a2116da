using System.CommandLine;
using TabularRL.Engine.Model;
using TabularRL.Kernels.Ordering;

namespace TabularRL.Cli;

/// <summary>The --reorder option: solve or bench on the states renumbered for locality, results in the original numbering.</summary>
internal sealed class StateOrderOption
{
    private readonly Option<string> _option = new("--reorder")
    {
        Description = "Renumber the states before computing: none, or rcm (reverse Cuthill-McKee, for models whose next states are close in some numbering other than the file's). Results keep the file's numbering.",
        DefaultValueFactory = _ => "none",
    };

    private StateOrderOption(Command command)
    {
        _option.AcceptOnlyFromAmong("none", "rcm");
        command.Options.Add(_option);
    }

    /// <summary>Adds --reorder to <paramref name="command"/>.</summary>
    public static StateOrderOption AddTo(Command command) => new(command);

    /// <summary>The model to compute on: <paramref name="mdp"/> itself, or renumbered as --reorder asks, with the permutation that maps results back (null for none).</summary>
    /// <remarks>With --verbose it says on stderr what the renumbering did to the locality.</remarks>
    public (Mdp Model, StatePermutation? Permutation) Apply(ParseResult parsed, Mdp mdp, CliConsole console, bool verbose)
    {
        if (parsed.GetValue(_option) != "rcm") return (mdp, null);
        var permutation = ReverseCuthillMcKee.Order(mdp.RowPointers, mdp.Columns, mdp.StateCount, mdp.ActionCount);
        var reordered = mdp.Reordered(permutation);
        if (verbose)
            console.Error.WriteLine($"reorder rcm: mean |s' - s| over the stored transitions {Mean(mdp):G4} -> {Mean(reordered):G4}");
        return (reordered, permutation);
    }

    private static double Mean(Mdp mdp) => NextStateDistance.Mean(mdp.RowPointers, mdp.Columns, mdp.StateCount, mdp.ActionCount);
}
