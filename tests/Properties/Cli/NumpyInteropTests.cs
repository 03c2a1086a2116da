using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace TabularRL.Tests.Cli;

/// <summary>
/// Runs the scripts of tests/interop: external checks of the contract that write models with numpy, compute reference
/// values with numpy and scipy, and run the built tabrl (the tabrl.dll next to this test assembly). check_contract.py
/// covers the solvers and file formats, check_rewards.py the reward distances and regret, check_ddc.py the bus-engine
/// estimation (panel, fixed point, likelihood and its maximum, Table IX).
/// </summary>
public sealed class NumpyInteropTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";
    private const string InstallHint = "install python3-numpy python3-scipy (bash .ci/run does it)";

    [Theory]
    [InlineData("check_contract.py")]
    [InlineData("check_rewards.py")]
    [InlineData("check_ddc.py")]
    public void NumpyChecksOfTheContractPass(string scriptName)
    {
        string root = RepositoryRoot();
        string script = Path.Combine(root, "tests", "interop", scriptName);
        Assert.True(File.Exists(script), $"{script} is missing");

        var probe = Execute(Python, ["-c", "import numpy, scipy"], TimeSpan.FromMinutes(1));
        if (probe.ExitCode != 0)
            Assert.Fail($"{Python} cannot import numpy and scipy: {InstallHint}\n{probe.Output}");

        string tabrl = typeof(TabularRL.Cli.CliApp).Assembly.Location;
        Assert.True(File.Exists(tabrl), $"{tabrl} is missing");
        string command = Quote(DotnetHost()) + " " + Quote(tabrl);
        var scratch = Directory.CreateTempSubdirectory("tabrl-interop-");
        try
        {
            var run = Execute(Python, [script, command, scratch.FullName], TimeSpan.FromMinutes(5), root);
            output.WriteLine(run.Output);
            Assert.True(run.ExitCode == 0, $"{scriptName} exited with {run.ExitCode}\n{run.Output}");
            var last = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
            Assert.Matches(@"^\d+ passed, 0 failed$", last);
        }
        finally
        {
            try
            {
                scratch.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TabularRL.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no TabularRL.sln above {AppContext.BaseDirectory}");
    }

    // The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH for its children), else 'dotnet' on PATH.
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            return host;
        if (Environment.ProcessPath is { } process && Path.GetFileNameWithoutExtension(process) == "dotnet")
            return process;
        return "dotnet";
    }

    // Quotes for the script's shlex.split.
    private static string Quote(string text) => "'" + text.Replace("'", "'\"'\"'") + "'";

    private static (int ExitCode, string Output) Execute(string file, string[] args, TimeSpan timeout, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("TABRL_BACKEND");
        var text = new StringBuilder();
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"cannot start {file}: {e.Message}; {InstallHint}");
        }
        using (process)
        {
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (text) text.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (text) text.AppendLine("stderr: " + e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                lock (text) return (-1, $"timed out after {timeout}\n{text}");
            }
            process.WaitForExit();
            lock (text) return (process.ExitCode, text.ToString());
        }
    }
}
