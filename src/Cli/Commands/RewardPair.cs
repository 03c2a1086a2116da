using System.CommandLine;
using TabularRL.Engine.Model;
using TabularRL.Theory.Rewards;

namespace TabularRL.Cli.Commands;

/// <summary>The MODEL R1 R2 arguments that <c>distance</c> and <c>regret</c> share.</summary>
internal sealed class RewardPair
{
    private readonly Argument<string> _model = new("MODEL") { Description = "Model file (.npz or .json), infinite-horizon." };
    private readonly Argument<string> _first = new("R1") { Description = "First reward (.npy [S,A], [S,A,S], or [nnz] with 0 on impossible transitions)." };
    private readonly Argument<string> _second = new("R2") { Description = "Second reward, in the same forms." };

    /// <summary>Adds the three arguments to <paramref name="command"/>.</summary>
    public RewardPair(Command command)
    {
        command.Arguments.Add(_model);
        command.Arguments.Add(_first);
        command.Arguments.Add(_second);
    }

    /// <summary>The model's path as given.</summary>
    public string ModelPath(ParseResult parsed) => parsed.GetValue(_model)!;

    /// <summary>Loads the model and both rewards; a bad file is a usage error naming it.</summary>
    public (Mdp Mdp, TransitionReward First, TransitionReward Second) Load(ParseResult parsed, CommonOptions common)
    {
        var mdp = common.LoadModel(ModelPath(parsed), parsed);
        return (mdp, Read(parsed.GetValue(_first)!, mdp, "R1"), Read(parsed.GetValue(_second)!, mdp, "R2"));
    }

    private static TransitionReward Read(string path, Mdp mdp, string key)
    {
        try
        {
            return TransitionRewardFile.Read(path, mdp, key);
        }
        catch (ModelValidationException e)
        {
            throw new UsageException($"{path}: {e.Message}");
        }
    }
}
