using System.Globalization;

namespace TabularRL.Kernels.Measurement;

/// <summary>The size of the processor's last-level cache, which decides whether a sweep's entries stream from memory.</summary>
/// <remarks>
/// Read once from Linux's sysfs (<c>/sys/devices/system/cpu/cpu0/cache/index*/</c>: the cache of the highest
/// <c>level</c>, its <c>size</c> such as <c>32768K</c>). .NET has no portable query for it; where sysfs is missing or
/// unreadable (other systems, restricted containers) <see cref="AssumedBytes"/> stands in, the L3 of one Zen 4 core
/// complex, which errs towards streaming, the behaviour of every model large enough for its speed to matter.
/// </remarks>
internal static class LastLevelCache
{
    /// <summary>The size assumed when none can be read: 32 MiB.</summary>
    public const long AssumedBytes = 32L << 20;

    private const string CacheFolder = "/sys/devices/system/cpu/cpu0/cache";

    private static readonly Lazy<long> Size = new(ReadSize);

    /// <summary>Bytes of the last-level cache seen by the process's first processor.</summary>
    public static long Bytes => Size.Value;

    /// <summary>Parses sysfs's size text: a number of bytes with an optional K, M or G suffix (powers of 1024).</summary>
    /// <returns>The size in bytes, or null when the text is not of that form or is not positive.</returns>
    public static long? ParseSize(string text)
    {
        text = text.Trim();
        if (text.Length == 0) return null;
        long scale = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            _ => 1,
        };
        string digits = scale == 1 ? text : text[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count <= 0
            || count > long.MaxValue / scale)
            return null;
        return count * scale;
    }

    private static long ReadSize()
    {
        try
        {
            if (!Directory.Exists(CacheFolder)) return AssumedBytes;
            int bestLevel = 0;
            long bestSize = 0;
            foreach (string index in Directory.EnumerateDirectories(CacheFolder, "index*"))
            {
                string levelPath = Path.Combine(index, "level"), sizePath = Path.Combine(index, "size");
                if (!File.Exists(levelPath) || !File.Exists(sizePath)) continue;
                if (!int.TryParse(File.ReadAllText(levelPath).Trim(), CultureInfo.InvariantCulture, out int level)) continue;
                if (ParseSize(File.ReadAllText(sizePath)) is not { } size) continue;
                if (level > bestLevel || (level == bestLevel && size > bestSize)) (bestLevel, bestSize) = (level, size);
            }
            return bestSize > 0 ? bestSize : AssumedBytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return AssumedBytes;
        }
    }
}
