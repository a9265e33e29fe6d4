using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace QwenVlStudio.Cli.Bench;

/// <summary>What a benchmark result needs to be comparable: machine, cores, runtime versions, commit.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string Os, string OnnxRuntime, string Dotnet, string? GitCommit)
{
    public static MachineInfo Read() => new(
        CpuModel(),
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        OrtEnv.Instance().GetVersionString(),
        RuntimeInformation.FrameworkDescription,
        ReadGitCommit());

    /// <summary>Peak resident set size of this process (VmHWM), in bytes; 0 where /proc is absent.</summary>
    public static long PeakRssBytes() => ProcStatusKb("VmHWM:") * 1024;

    public static long CurrentRssBytes() => ProcStatusKb("VmRSS:") * 1024;

    private static long ProcStatusKb(string key)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return 0;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[key.Length..].Trim().Split(' ')[0]);
    }

    private static string CpuModel()
    {
        const string path = "/proc/cpuinfo";
        var line = File.Exists(path) ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string? ReadGitCommit()
    {
        var fromEnv = Environment.GetEnvironmentVariable("QWENVL_GIT_COMMIT");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (git is null) return null;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git is not installed: the report says "unknown"
        }
    }
}
