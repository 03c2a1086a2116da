using System.IO.Compression;

namespace TabularRL.Engine.Io;

/// <summary>Reads and writes numpy's <c>.npz</c> archives: a zip file holding one <c>NAME.npy</c> entry per array.</summary>
/// <remarks>
/// Both <c>np.savez</c> (stored entries) and <c>np.savez_compressed</c> (deflated entries) are read; zip64 archives
/// are handled by <see cref="ZipArchive"/>. Writing produces stored entries, like <c>np.savez</c>, because array data
/// compresses poorly and stored entries are much faster to read back.
/// </remarks>
public static class NpzArchive
{
    private const string EntrySuffix = ".npy";

    /// <summary>Reads every array of an archive, keyed by entry name without the <c>.npy</c> suffix.</summary>
    /// <remarks>Entries that do not end in <c>.npy</c> are not arrays in numpy's sense either and are skipped.</remarks>
    /// <exception cref="ArrayFileException">
    /// The file cannot be read, is not a zip archive, or an entry is corrupt or not a supported .npy array.
    /// </exception>
    public static IReadOnlyDictionary<string, NdArray> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArrayFileException($"cannot read file '{path}': {e.Message}".ReplaceLineEndings(" "), e);
        }

        using (file)
        {
            ZipArchive zip;
            try
            {
                zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new ArrayFileException(path, null, $"not a valid .npz (zip) archive: {e.Message}", e);
            }

            using (zip)
            {
                var arrays = new Dictionary<string, NdArray>(StringComparer.Ordinal);
                foreach (var entry in zip.Entries)
                {
                    if (!entry.FullName.EndsWith(EntrySuffix, StringComparison.Ordinal))
                        continue;
                    var key = entry.FullName[..^EntrySuffix.Length];
                    var array = ReadEntry(path, key, entry);
                    if (!arrays.TryAdd(key, array))
                        throw new ArrayFileException(path, key, "the archive holds this entry twice");
                }

                return arrays;
            }
        }
    }

    /// <summary>Writes the arrays as an uncompressed archive, atomically: on failure nothing is left at <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">A key is empty or repeated.</exception>
    /// <exception cref="ArrayFileException">The file cannot be written.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NdArray>> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        NpyFormat.WriteAtomically(path, stream =>
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (key, array) in arrays)
            {
                if (string.IsNullOrEmpty(key))
                    throw new ArgumentException("array names must not be empty", nameof(arrays));
                if (!seen.Add(key))
                    throw new ArgumentException($"array '{key}' is given twice", nameof(arrays));
                ArgumentNullException.ThrowIfNull(array, key);

                var entry = zip.CreateEntry(key + EntrySuffix, CompressionLevel.NoCompression);
                using var entryStream = entry.Open();
                NpyFormat.Write(entryStream, array);
            }
        });
    }

    private static NdArray ReadEntry(string path, string key, ZipArchiveEntry entry)
    {
        try
        {
            using var stream = entry.Open();
            return NpyFormat.Read(stream, path, key);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            // Corrupt deflate data, CRC mismatches and unsupported zip features all surface here.
            throw new ArrayFileException(path, key, $"corrupt archive entry: {e.Message}", e);
        }
    }
}
