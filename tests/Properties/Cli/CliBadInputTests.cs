using TabularRL.Engine.Io;

namespace TabularRL.Tests.Cli;

/// <summary>
/// Exit code 2 for every kind of bad input, one <c>error:</c> line on stderr naming the problem, no stack trace
/// unless --verbose, and nothing written to --out (INTERFACES.md sections 1 and 4).
/// </summary>
public sealed class CliBadInputTests : IDisposable
{
    private readonly CliScratch _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Defective models: name, then the strings the error line must contain (key, row, value).</summary>
    public static TheoryData<string> Defects() =>
    [
        "row-sum", "negative-probability", "nan-probability", "infinite-probability", "column-out-of-range", "negative-column",
        "unsorted-columns", "repeated-column", "indptr-length", "indptr-decreasing", "indptr-not-starting-at-0", "data-length",
        "indices-2d", "indices-float", "rewards-shape", "rewards-nan", "rewards-sas-data-length", "discount-one", "discount-negative",
        "initial-distribution-sum", "initial-distribution-length", "missing-num-states", "missing-rewards", "missing-transitions",
        "num-states-zero", "both-dense-and-csr", "dense-row-sum", "dense-negative", "dense-shape", "staged-row-sum",
        "staged-indptr-length", "horizon-zero",
    ];

    private static (Dictionary<string, NdArray> Arrays, string[] Mentions) Defect(string name)
    {
        var m = CliModels.Forest();
        double[] data = [0.1, 0.9, 1.0, 0.1, 0.9, 1.0, 0.1, 0.9, 1.0];
        int[] indices = [0, 1, 0, 0, 2, 0, 0, 2, 0];
        long[] indptr = [0, 2, 3, 5, 6, 8, 9];
        void Data() => m["transitions_data"] = NdArray.FromDoubles(data, data.Length);
        void Indices() => m["transitions_indices"] = NdArray.FromInts(indices, indices.Length);
        void Indptr() => m["transitions_indptr"] = NdArray.FromLongs(indptr, indptr.Length);
        switch (name)
        {
            case "row-sum":
                data[1] = 0.8; Data();
                return (m, ["transitions_data", "(s=0, a=0)", "0.9"]);
            case "negative-probability":
                data[3] = -0.1; data[4] = 1.1; Data();
                return (m, ["transitions_data", "(s=1, a=0)", "-0.1"]);
            case "nan-probability":
                data[6] = double.NaN; Data();
                return (m, ["transitions_data", "(s=2, a=0)", "NaN"]);
            case "infinite-probability":
                data[2] = double.PositiveInfinity; Data();
                return (m, ["transitions_data", "(s=0, a=1)"]);
            case "column-out-of-range":
                indices[4] = 3; Indices();
                return (m, ["transitions_indices", "(s=1, a=0)", "3"]);
            case "negative-column":
                indices[5] = -1; Indices();
                return (m, ["transitions_indices", "(s=1, a=1)", "-1"]);
            case "unsorted-columns":
                indices[6] = 2; indices[7] = 0; data[6] = 0.9; data[7] = 0.1; Indices(); Data();
                return (m, ["transitions_indices", "(s=2, a=0)"]);
            case "repeated-column":
                indices[1] = 0; Indices();
                return (m, ["transitions_indices", "(s=0, a=0)"]);
            case "indptr-length":
                m["transitions_indptr"] = NdArray.FromLongs([0, 2, 3, 5, 6, 9], 6);
                return (m, ["transitions_indptr", "6"]);
            case "indptr-decreasing":
                indptr[2] = 1; Indptr();
                return (m, ["transitions_indptr"]);
            case "indptr-not-starting-at-0":
                indptr[0] = 1; Indptr();
                return (m, ["transitions_indptr"]);
            case "data-length":
                m["transitions_data"] = NdArray.FromDoubles([.. data, 0.0], data.Length + 1);
                return (m, ["transitions_data", "10"]);
            case "indices-2d":
                m["transitions_indices"] = NdArray.FromInts(indices, 3, 3);
                return (m, ["transitions_indices"]);
            case "indices-float":
                m["transitions_indices"] = NdArray.FromDoubles(Array.ConvertAll(indices, i => (double)i), indices.Length);
                return (m, ["transitions_indices"]);
            case "rewards-shape":
                m["rewards"] = NdArray.FromDoubles([0, 0, 0, 1, 4, 2, 0, 0], 4, 2);
                return (m, ["rewards"]);
            case "rewards-nan":
                m["rewards"] = NdArray.FromDoubles([0, 0, 0, double.NaN, 4, 2], 3, 2);
                return (m, ["rewards", "(s=1, a=1)", "NaN"]);
            case "rewards-sas-data-length":
                m.Remove("rewards");
                m["rewards_sas_data"] = NdArray.FromDoubles([1, 2, 3], 3);
                return (m, ["rewards_sas_data"]);
            case "discount-one":
                m["discount"] = NdArray.Scalar(1.0);
                return (m, ["discount", "1"]);
            case "discount-negative":
                m["discount"] = NdArray.Scalar(-0.5);
                return (m, ["discount", "-0.5"]);
            case "initial-distribution-sum":
                m["initial_distribution"] = NdArray.FromDoubles([0.5, 0.5, 0.5], 3);
                return (m, ["initial_distribution", "1.5"]);
            case "initial-distribution-length":
                m["initial_distribution"] = NdArray.FromDoubles([0.5, 0.5], 2);
                return (m, ["initial_distribution"]);
            case "missing-num-states":
                m.Remove("num_states");
                return (m, ["num_states"]);
            case "missing-rewards":
                m.Remove("rewards");
                return (m, ["rewards"]);
            case "missing-transitions":
                m.Remove("transitions_indptr"); m.Remove("transitions_indices"); m.Remove("transitions_data");
                return (m, ["transitions"]);
            case "num-states-zero":
                m["num_states"] = NdArray.Scalar(0L);
                return (m, ["num_states"]);
            case "both-dense-and-csr":
                m["transitions"] = CliModels.ForestDense()["transitions"];
                return (m, ["transitions"]);
            case "dense-row-sum":
            {
                var dense = CliModels.ForestDense();
                var t = dense["transitions"].Doubles!.ToArray();
                t[3 * 3 + 0] = 0.5; // row (s=1, a=1): [0.5, 0, 0]
                dense["transitions"] = NdArray.FromDoubles(t, 3, 2, 3);
                return (dense, ["transitions", "(s=1, a=1)", "0.5"]);
            }
            case "dense-negative":
            {
                var dense = CliModels.ForestDense();
                var t = dense["transitions"].Doubles!.ToArray();
                t[4 * 3 + 0] = -0.1; t[4 * 3 + 2] = 1.1; // row (s=2, a=0)
                dense["transitions"] = NdArray.FromDoubles(t, 3, 2, 3);
                return (dense, ["transitions", "s=2, a=0", "-0.1"]);
            }
            case "dense-shape":
            {
                var dense = CliModels.ForestDense();
                dense["transitions"] = NdArray.FromDoubles(dense["transitions"].Doubles!.ToArray(), 2, 3, 3);
                return (dense, ["transitions", "(2, 3, 3)"]);
            }
            case "staged-row-sum":
            {
                // Horizon 2 with stage-dependent CSR rows (h,s,a); row (h=1, s=0, a=1) sums to 0.5.
                m["horizon"] = NdArray.Scalar(2L);
                m["transitions_indptr"] = NdArray.FromLongs([0, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18], 13);
                m["transitions_indices"] = NdArray.FromInts([.. indices, .. indices], 18);
                var staged = (double[])[.. data, .. data];
                staged[9 + 2] = 0.5;
                m["transitions_data"] = NdArray.FromDoubles(staged, 18);
                return (m, ["transitions_data", "(h=1, s=0, a=1)", "0.5"]);
            }
            case "staged-indptr-length":
                m["horizon"] = NdArray.Scalar(2L);
                m["transitions_indptr"] = NdArray.FromLongs([0, 2, 3, 5, 6, 8, 9, 9], 8);
                return (m, ["transitions_indptr", "8"]);
            case "horizon-zero":
                m["horizon"] = NdArray.Scalar(0L);
                return (m, ["horizon"]);
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }
    }

    private string[] CommandArgs(string command, string model, string outPath)
    {
        string policy = CliModels.WriteNpy(_dir["policy.npy"], CliModels.WaitEverywhere());
        return command switch
        {
            "solve" => ["solve", model, "--method", "vi", "--out", outPath],
            "evaluate" => ["evaluate", model, "--policy", policy, "--out", outPath],
            "occupancy" => ["occupancy", model, "--policy", policy, "--out", outPath],
            "info" => ["info", model],
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
    }

    [Theory]
    [MemberData(nameof(Defects))]
    public void InvalidNpzModelExitsTwoNamingKeyAndRow(string defect)
    {
        var (arrays, mentions) = Defect(defect);
        string model = CliModels.Write(_dir["bad.npz"], arrays);
        foreach (string command in (string[])["solve", "evaluate", "occupancy", "info"])
        {
            string outPath = _dir[$"{command}-out.npz"];
            Tabrl.FailsWithBadInput(command == "info" ? null : outPath, CommandArgs(command, model, outPath), [model, .. mentions]);
        }
    }

    [Theory]
    [InlineData("row-sum")]
    [InlineData("nan-probability")]
    [InlineData("unsorted-columns")]
    [InlineData("indptr-length")]
    [InlineData("dense-negative")]
    [InlineData("staged-row-sum")]
    public void InvalidJsonModelExitsTwoNamingKeyAndRow(string defect)
    {
        var (arrays, mentions) = Defect(defect);
        if (defect == "nan-probability") return; // JSON has no NaN literal; covered by the .npz variant.
        string model = CliModels.Write(_dir["bad.json"], arrays);
        string outPath = _dir["out.json"];
        Tabrl.FailsWithBadInput(outPath, ["solve", model, "--out", outPath], [model, .. mentions]);
    }

    [Theory]
    [MemberData(nameof(Defects))]
    public void FailedRunLeavesAnExistingOutFileUntouched(string defect)
    {
        var (arrays, _) = Defect(defect);
        string model = CliModels.Write(_dir["bad.npz"], arrays);
        foreach (string extension in (string[])[".npz", ".json"])
        {
            string outPath = _dir["existing" + extension];
            File.WriteAllText(outPath, "previous contents");
            Tabrl.FailsWithBadInput(outPath, ["solve", model, "--method", "pi", "--out", outPath]);
            Assert.Equal("previous contents", File.ReadAllText(outPath));
        }
    }

    /// <summary>Files that are not models at all: missing, empty, not a zip, truncated, a directory, bad JSON.</summary>
    [Theory]
    [InlineData("missing")]
    [InlineData("empty")]
    [InlineData("not-a-zip")]
    [InlineData("truncated-half")]
    [InlineData("truncated-tail")]
    [InlineData("truncated-head")]
    [InlineData("corrupt-entry")]
    [InlineData("directory")]
    [InlineData("wrong-extension")]
    [InlineData("json-syntax")]
    [InlineData("json-not-object")]
    [InlineData("json-ragged")]
    public void UnreadableModelFileExitsTwo(string kind)
    {
        string valid = CliModels.Write(_dir["valid.npz"], CliModels.Forest());
        byte[] bytes = File.ReadAllBytes(valid);
        string model = kind switch
        {
            "missing" => _dir["does-not-exist.npz"],
            "empty" => WriteBytes("empty.npz", []),
            "not-a-zip" => WriteBytes("text.npz", "this is not a zip archive\n"u8.ToArray()),
            "truncated-half" => WriteBytes("half.npz", bytes[..(bytes.Length / 2)]),
            "truncated-tail" => WriteBytes("tail.npz", bytes[..^10]),
            "truncated-head" => WriteBytes("head.npz", bytes[..100]),
            "corrupt-entry" => WriteBytes("corrupt.npz", Corrupt(bytes)),
            "directory" => Directory.CreateDirectory(_dir["dir.npz"]).FullName,
            "wrong-extension" => WriteBytes("model.txt", bytes),
            "json-syntax" => WriteBytes("syntax.json", "{\"num_states\": 3, "u8.ToArray()),
            "json-not-object" => WriteBytes("list.json", "[1, 2, 3]"u8.ToArray()),
            "json-ragged" => WriteBytes("ragged.json", """{"num_states": 3, "num_actions": 2, "discount": 0.9, "rewards": [[0, 0], [0], [4, 2]], "transitions": [[[1,0,0],[1,0,0]],[[1,0,0],[1,0,0]],[[1,0,0],[1,0,0]]]}"""u8.ToArray()),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        string policy = CliModels.WriteNpy(_dir["policy.npy"], CliModels.WaitEverywhere());
        string outPath = _dir["out.npz"];
        Tabrl.FailsWithBadInput(outPath, ["solve", model, "--out", outPath], Path.GetFileName(model));
        Tabrl.FailsWithBadInput(outPath, ["evaluate", model, "--policy", policy, "--out", outPath], Path.GetFileName(model));
        Tabrl.FailsWithBadInput(outPath, ["occupancy", model, "--policy", policy, "--out", outPath], Path.GetFileName(model));
        Tabrl.FailsWithBadInput(null, ["info", model], Path.GetFileName(model));
    }

    // Flips bytes in the middle of the first stored entry's data: the zip CRC no longer matches.
    private static byte[] Corrupt(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        for (int i = 80; i < 120; i++) copy[i] ^= 0x5A;
        return copy;
    }

    private string WriteBytes(string name, byte[] bytes)
    {
        File.WriteAllBytes(_dir[name], bytes);
        return _dir[name];
    }

    [Fact]
    public void VerboseAllowsATraceButStillExitsTwoAndStartsWithError()
    {
        var (arrays, _) = Defect("row-sum");
        string model = CliModels.Write(_dir["bad.npz"], arrays);
        string outPath = _dir["out.npz"];
        var run = Tabrl.Run("solve", model, "--out", outPath, "--verbose");
        Assert.True(run.ExitCode == 2, run.Describe());
        Assert.StartsWith("error:", run.ErrorLines[0]);
        Assert.Contains("(s=0, a=0)", run.ErrorLines[0]);
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public void NoStackTraceWithoutVerbose()
    {
        var (arrays, _) = Defect("nan-probability");
        string model = CliModels.Write(_dir["bad.npz"], arrays);
        var run = Tabrl.Run("solve", model);
        Assert.Equal(2, run.ExitCode);
        Tabrl.AssertOneErrorLine(run, "error:");
        Assert.DoesNotContain(".cs:line", run.Error);
    }

    public static TheoryData<string[], string> BadOptions() => new()
    {
        { ["solve", "{model}", "--frobnicate"], "--frobnicate" },
        { ["solve", "{model}", "--method", "sarsa"], "sarsa" },
        { ["solve", "{model}", "--method"], "error:" },
        { ["solve", "{model}", "--format", "xml"], "xml" },
        { ["evaluate", "{model}", "--policy", "{policy}", "--format", "csv"], "csv" },
        { ["solve", "{model}", "--tol", "abc"], "abc" },
        { ["solve", "{model}", "--tol", "0"], "--tol" },
        { ["solve", "{model}", "--tol", "-1"], "--tol" },
        { ["solve", "{model}", "--tol", "NaN"], "--tol" },
        { ["solve", "{model}", "--max-iter", "0"], "--max-iter" },
        { ["solve", "{model}", "--max-iter", "many"], "many" },
        { ["solve", "{model}", "--method", "mpi", "--evaluation-sweeps", "0"], "--evaluation-sweeps" },
        { ["solve", "{model}", "--method", "soft", "--temperature", "0"], "--temperature" },
        { ["solve", "{model}", "--method", "kl", "--temperature", "0"], "--temperature" },
        { ["solve", "{model}", "--method", "soft", "--temperature", "-1"], "--temperature" },
        { ["solve", "{model}", "--method", "soft", "--temperature", "Infinity"], "--temperature" },
        { ["solve", "{model}", "--method", "vi", "--reference", "{policy}"], "--reference" },
        { ["solve", "{model}", "--backend", "cuda"], "cuda" },
        { ["solve", "{model}", "--backend", "tpu"], "tpu" },
        { ["evaluate", "{model}", "--policy", "{policy}", "--backend", "cuda"], "cuda" },
        { ["occupancy", "{model}", "--policy", "{policy}", "--backend", "cuda"], "cuda" },
        { ["evaluate", "{model}"], "--policy" },
        { ["occupancy", "{model}"], "--policy" },
        { ["frobnicate", "{model}"], "frobnicate" },
        { ["solve", "--frobnicate"], "'--frobnicate'" },
        { ["evaluate", "--frobnicate", "--policy", "{policy}"], "'--frobnicate'" },
        { ["occupancy", "--policy", "{policy}", "--frobnicate"], "'--frobnicate'" },
        { ["info", "--frobnicate"], "'--frobnicate'" },
        { ["solve", "{model}", "extra-argument"], "extra-argument" },
        { ["generate", "garnet", "--states", "10"], "--out" },
        { ["generate", "garnet", "--states", "10", "--bogus", "--out", "{out}"], "'tabrl generate garnet --help'" },
        { ["generate"], "tabrl generate --help" },
        { [], "tabrl --help" },
        { ["generate", "warehouse", "--out", "{out}"], "warehouse" },
        { ["generate", "gridworld", "--wall", "1;1", "--out", "{out}"], "--wall" },
        { ["info", "{model}", "--out", "{out}"], "--out" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionExitsTwoWithOneErrorLineAndWritesNothing(string[] template, string mention)
    {
        string model = CliModels.Write(_dir["forest.npz"], CliModels.Forest());
        string policy = CliModels.WriteNpy(_dir["policy.npy"], CliModels.WaitEverywhere());
        string outPath = _dir["out.npz"];
        var args = template.Select(a => a.Replace("{model}", model).Replace("{policy}", policy).Replace("{out}", outPath)).ToList();
        if (!args.Contains("--out") && args.Count > 0 && args[0] is "solve" or "evaluate" or "occupancy")
            args.AddRange(["--out", outPath]);
        Tabrl.FailsWithBadInput(outPath, [.. args], mention);
    }

    [Theory]
    [InlineData("result.txt")]
    [InlineData("result.npy")]
    [InlineData("result")]
    [InlineData("no-such-directory/result.npz")]
    [InlineData("no-such-directory/deeper/result.json")]
    public void BadOutDestinationExitsTwoBeforeAnyWork(string destination)
    {
        string model = CliModels.Write(_dir["forest.npz"], CliModels.Forest());
        string policy = CliModels.WriteNpy(_dir["policy.npy"], CliModels.WaitEverywhere());
        string outPath = _dir[destination];
        Tabrl.FailsWithBadInput(outPath, ["solve", model, "--out", outPath]);
        Tabrl.FailsWithBadInput(outPath, ["evaluate", model, "--policy", policy, "--out", outPath]);
        Tabrl.FailsWithBadInput(outPath, ["occupancy", model, "--policy", policy, "--out", outPath]);
        Tabrl.FailsWithBadInput(outPath, ["generate", "forest", "--out", outPath]);
        Assert.False(Directory.Exists(_dir["no-such-directory"]));
    }

    /// <summary>Policies that do not fit the model (S=3, A=2): wrong shapes, bad rows, bad actions.</summary>
    public static TheoryData<string, string> BadPolicies() => new()
    {
        { "float-wrong-states", "(4, 2)" },
        { "float-wrong-actions", "(3, 3)" },
        { "float-1d", "(6,)" },
        { "float-3d-no-horizon", "(1, 3, 2)" },
        { "int-wrong-length", "(4,)" },
        { "int-2d", "(3, 1)" },
        { "action-out-of-range", "2" },
        { "negative-action", "-1" },
        { "row-sum", "0.9" },
        { "negative-probability", "-0.5" },
        { "nan-probability", "NaN" },
        { "missing", "missing-policy.npy" },
        { "bool", "bool" },
        { "result-without-policy", "policy" },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public void BadPolicyExitsTwo(string kind, string mention)
    {
        string model = CliModels.Write(_dir["forest.npz"], CliModels.Forest());
        string policy = kind switch
        {
            "float-wrong-states" => Npy(NdArray.FromDoubles(Uniform(8), 4, 2)),
            "float-wrong-actions" => Npy(NdArray.FromDoubles(Enumerable.Repeat(1.0 / 3, 9).ToArray(), 3, 3)),
            "float-1d" => Npy(NdArray.FromDoubles(Uniform(6), 6)),
            "float-3d-no-horizon" => Npy(NdArray.FromDoubles(Uniform(6), 1, 3, 2)),
            "int-wrong-length" => Npy(NdArray.FromLongs([0, 0, 0, 0], 4)),
            "int-2d" => Npy(NdArray.FromLongs([0, 0, 0], 3, 1)),
            "action-out-of-range" => Npy(NdArray.FromLongs([0, 2, 0], 3)),
            "negative-action" => Npy(NdArray.FromInts([0, -1, 0], 3)),
            "row-sum" => Npy(NdArray.FromDoubles([0.5, 0.5, 0.5, 0.4, 1, 0], 3, 2)),
            "negative-probability" => Npy(NdArray.FromDoubles([0.5, 0.5, -0.5, 1.5, 1, 0], 3, 2)),
            "nan-probability" => Npy(NdArray.FromDoubles([0.5, 0.5, double.NaN, 0.5, 1, 0], 3, 2)),
            "missing" => _dir["missing-policy.npy"],
            "bool" => Npy(NdArray.FromBools([true, false, true], 3)),
            "result-without-policy" => CliModels.Write(_dir["no-policy.npz"], new() { ["values"] = NdArray.FromDoubles([1, 2, 3], 3) }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        string outPath = _dir["out.npz"];
        Tabrl.FailsWithBadInput(outPath, ["evaluate", model, "--policy", policy, "--out", outPath], mention);
        Tabrl.FailsWithBadInput(outPath, ["occupancy", model, "--policy", policy, "--out", outPath], mention);
        Tabrl.FailsWithBadInput(outPath, ["solve", model, "--method", "kl", "--reference", policy, "--out", outPath], mention);
    }

    [Fact]
    public void FiniteHorizonPolicyOnDiscountedModelExitsTwo()
    {
        string model = CliModels.Write(_dir["forest.npz"], CliModels.Forest());
        string policy = Npy(NdArray.FromLongs(new long[15], 5, 3));
        string outPath = _dir["out.npz"];
        Tabrl.FailsWithBadInput(outPath, ["evaluate", model, "--policy", policy, "--out", outPath], "--policy");
    }

    [Theory]
    [InlineData("shape")]
    [InlineData("nan")]
    [InlineData("missing")]
    public void BadRewardForEvaluateExitsTwo(string kind)
    {
        string model = CliModels.Write(_dir["forest.npz"], CliModels.Forest());
        string policy = Npy(CliModels.WaitEverywhere());
        string reward = kind switch
        {
            "shape" => CliModels.WriteNpy(_dir["reward.npy"], NdArray.FromDoubles(new double[8], 4, 2)),
            "nan" => CliModels.WriteNpy(_dir["reward.npy"], NdArray.FromDoubles([0, 0, double.NaN, 0, 0, 0], 3, 2)),
            _ => _dir["no-reward.npy"],
        };
        string outPath = _dir["out.npz"];
        Tabrl.FailsWithBadInput(outPath, ["evaluate", model, "--policy", policy, "--reward", reward, "--out", outPath]);
    }

    [Fact]
    public void Lp_FiniteHorizonModel_IsBadInputNamingBackwardInduction()
    {
        var arrays = CliModels.Forest();
        arrays["horizon"] = NdArray.Scalar(4L);
        string model = CliModels.Write(_dir["forest-h4.npz"], arrays);
        var run = Tabrl.FailsWithBadInput(null, ["solve", model, "--method", "lp"], "lp", "backward induction");
        Assert.Empty(run.Out);
    }

    [Fact]
    public void Lp_Forest_GivesPolicyIterationsValues()
    {
        string model = CliModels.Write(_dir["forest.npz"], CliModels.Forest());
        var values = Tabrl.Succeeds("solve", model, "--method", "lp", "--format", "json").Json().GetProperty("values");
        for (int s = 0; s < CliModels.ForestValues.Length; s++)
            Assert.Equal(CliModels.ForestValues[s], values[s].GetDouble(), 9);
    }

    private string Npy(NdArray array)
    {
        string path = _dir[$"policy-{Guid.NewGuid():N}.npy"];
        return CliModels.WriteNpy(path, array);
    }

    private static double[] Uniform(int n) => Enumerable.Repeat(0.5, n).ToArray();
}
