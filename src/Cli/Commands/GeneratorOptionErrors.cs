using System.Text.RegularExpressions;
using TabularRL.Engine.Model;

namespace TabularRL.Cli.Commands;

/// <summary>Runs a generator and restates its option errors in the names the user typed.</summary>
/// <remarks>
/// The generators name their options by property (States, FireProbability); the user typed --states,
/// --fire-probability. Shared by <c>generate</c> and <c>bench</c>, which both build models from options.
/// </remarks>
internal static class GeneratorOptionErrors
{
    /// <summary>Calls <paramref name="build"/>, turning an <see cref="ArgumentException"/> that names a property into a usage error naming the option.</summary>
    /// <param name="build">Builds the model from already parsed options.</param>
    /// <param name="otherProperties">
    /// Further option properties a message may mention besides the offending one ("Branching must be &lt;= States"),
    /// restated as options too.
    /// </param>
    public static Mdp Build(Func<Mdp> build, params string[] otherProperties)
    {
        try
        {
            return build();
        }
        catch (ArgumentException e) when (e.ParamName is { Length: > 0 } name)
        {
            string option = OptionName(name);
            string detail = e.Message.Split(" (Parameter")[0].Replace(name, option).TrimEnd('.');
            foreach (string other in otherProperties)
                detail = Regex.Replace(detail, $@"\b{other}\b", OptionName(other));
            string actual = e is ArgumentOutOfRangeException { ActualValue: { } value } && !detail.Contains(value.ToString()!) ? $" (got {value})" : "";
            throw new UsageException((detail.Contains(option) ? detail : $"{option}: {detail}") + actual);
        }
    }

    private static string OptionName(string property) => property switch
    {
        "RewardWait" => "--r1",
        "RewardCut" => "--r2",
        "RandomWallFraction" => "--wall-fraction",
        "ZeroFraction" => "--zero-fraction",
        "Walls" => "--wall",
        "Goals" => "--goal",
        "Traps" => "--trap",
        _ => "--" + string.Concat(property.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())),
    };
}
