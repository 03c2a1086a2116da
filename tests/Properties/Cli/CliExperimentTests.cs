using TabularRL.Theory.Experiments;

namespace TabularRL.Tests.Cli;

/// <summary><c>tabrl experiment NAME</c>: the report's JSON, replay by seed, and bad names and options.</summary>
public sealed class CliExperimentTests
{
    [Fact]
    public void Experiment_BcRateJson_HasPointsSlopeAndResult()
    {
        var json = Tabrl.Succeeds("experiment", "bc-rate", "--seed", "3", "--format", "json").Json();
        Assert.Equal("BC-RATE", json.GetProperty("id").GetString());
        Assert.Equal("pass", json.GetProperty("result").GetString());
        var points = json.GetProperty("points").EnumerateArray().ToList();
        Assert.True(points.Count >= 3, json.ToString());
        var xs = points.Select(p => p.GetProperty("x").GetDouble()).ToList();
        Assert.Equal(xs.OrderBy(x => x), xs);
        double slope = json.GetProperty("slope").GetDouble();
        var interval = json.GetProperty("slope_interval").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.True(interval[0] <= slope && slope <= interval[1], json.ToString());
        // The slope is the least-squares fit of the printed means: refit it from them.
        var logX = xs.Select(x => Math.Log(x)).ToList();
        var logY = points.Select(p => Math.Log(p.GetProperty("mean").GetDouble())).ToList();
        double mx = logX.Average(), my = logY.Average();
        double refit = logX.Zip(logY, (x, y) => (x - mx) * (y - my)).Sum() / logX.Sum(x => (x - mx) * (x - mx));
        Assert.Equal(refit, slope, 10);
    }

    [Fact]
    public void Experiment_SameSeed_SameReport_OtherSeedOtherReport()
    {
        string Run(string seed) => Tabrl.Succeeds("experiment", "BC-RATE", "--seed", seed, "--format", "json").Json().GetProperty("points").ToString();
        Assert.Equal(Run("4"), Run("4"));
        Assert.NotEqual(Run("4"), Run("5"));
    }

    [Fact]
    public void Experiment_TableOutput_SaysPassAndTheSlope()
    {
        var run = Tabrl.Succeeds("experiment", "demoreg-decomposition", "--seed", "2");
        Assert.Contains("DEMOREG-DECOMPOSITION", run.Out);
        Assert.Contains("pass: observed", run.Out);
    }

    [Fact]
    public void Experiment_UnknownName_IsBadInputListingTheExperiments()
    {
        var run = Tabrl.FailsWithBadInput(null, ["experiment", "no-such-rate"], "no-such-rate");
        foreach (var experiment in ExperimentCatalogue.All)
            Assert.Contains(experiment.Id.ToLowerInvariant(), run.Error);
    }

    [Fact]
    public void Experiment_Out_IsBadInput()
        => Tabrl.FailsWithBadInput(null, ["experiment", "bc-rate", "--out", "x.json"], "--out");
}
