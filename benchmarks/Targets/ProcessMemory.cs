using System.Globalization;

namespace TabularRL.Benchmarks.Targets;

/// <summary>The process's resident-set high-water mark (Linux), with a reset so that one phase can be measured alone.</summary>
/// <remarks>
/// Writing 5 to /proc/self/clear_refs resets VmHWM to the current resident size (Linux 4.0+). Managed allocation counts
/// say what a solve asks for; the high-water mark says what the machine had to provide, GC slack included.
/// </remarks>
internal static class ProcessMemory
{
    /// <summary>Whether the high-water mark can be reset here.</summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>VmHWM in bytes, or -1 where /proc is not there.</summary>
    public static long PeakResidentBytes() => StatusField("VmHWM:");

    /// <summary>VmRSS in bytes, or -1 where /proc is not there.</summary>
    public static long ResidentBytes() => StatusField("VmRSS:");

    private static long StatusField(string name)
    {
        if (!File.Exists("/proc/self/status")) return -1;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal)) continue;
            string kilobytes = line[name.Length..].Trim().Split(' ')[0];
            return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
        }
        return -1;
    }
}
