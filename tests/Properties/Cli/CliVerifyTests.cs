using TabularRL.Theory.Claims;
using TabularRL.Theory.Experiments;

namespace TabularRL.Tests.Cli;

/// <summary><c>tabrl verify</c>: a row per claim, the seed and instance options, and the exit codes.</summary>
public sealed class CliVerifyTests
{
    [Fact]
    public void Verify_FewInstances_PrintsEveryClaimAndExitsZero()
    {
        var run = Tabrl.Succeeds("verify", "--instances", "30", "--format", "json");
        var rows = run.Json().EnumerateArray().ToList();
        Assert.Equal(ClaimCatalogue.All.Select(c => c.Id), rows.Select(r => r.GetProperty("id").GetString()));
        var sized = ClaimCatalogue.All.Where(c => c is not ExperimentClaim).Select(c => c.Id).ToHashSet();
        foreach (var row in rows)
        {
            // Experiments have their own size; --instances sets the others'.
            if (sized.Contains(row.GetProperty("id").GetString()!)) Assert.Equal(30, row.GetProperty("instances").GetInt32());
            Assert.True(row.GetProperty("result").GetString() == "pass", $"{row}");
        }
    }

    [Fact]
    public void Verify_SameSeed_GivesTheSameObservations()
    {
        string[] args = ["verify", "--only", "STARC-ZERO,minimality", "--instances", "20", "--seed", "7", "--format", "json"];
        var first = Tabrl.Succeeds(args).Json().EnumerateArray().Select(r => r.GetProperty("observed").GetString()).ToList();
        var second = Tabrl.Succeeds(args).Json().EnumerateArray().Select(r => r.GetProperty("observed").GetString()).ToList();
        Assert.Equal(2, first.Count);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Verify_UnknownClaim_IsBadInputNamingIt()
        => Tabrl.FailsWithBadInput(null, ["verify", "--only", "STARC-ZERO,NO-SUCH-CLAIM"], "--only", "NO-SUCH-CLAIM");

    [Fact]
    public void Verify_TableOutput_EndsWithTheCount()
    {
        var run = Tabrl.Succeeds("verify", "--only", "CANON", "--instances", "10");
        Assert.Contains("CANON", run.Out);
        Assert.Contains("1 of 1 claims hold (seed 1, 10 instances each", run.Out);
    }
}
