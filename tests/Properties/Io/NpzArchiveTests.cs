using System.Buffers.Binary;
using System.IO.Compression;
using TabularRL.Engine.Io;

namespace TabularRL.Tests.Io;

public sealed class NpzArchiveTests
{
    public static TheoryData<SampleVariant, long[]> Cases => IoSamples.AllCases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Round_trip_preserves_every_kind_and_shape(SampleVariant variant, long[] shape)
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.npz");
        var array = IoSamples.Make(variant, shape);
        NpzArchive.Write(path, [new("data", array), new("gamma", NdArray.Scalar(0.9))]);
        var back = NpzArchive.Read(path);
        Assert.Equal(["data", "gamma"], back.Keys.Order());
        IoSamples.AssertSame(array, back["data"]);
        Assert.Equal(0.9, back["gamma"].AsDouble("gamma"));
    }

    [Fact]
    public void Entries_are_stored_uncompressed_like_np_savez()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.npz");
        NpzArchive.Write(path, [new("a", NdArray.FromDoubles(new double[100], 100)), new("b", NdArray.Scalar(1L))]);
        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(["a.npy", "b.npy"], zip.Entries.Select(e => e.FullName));
        Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength));
        Assert.Equal(["m.npz"], dir.Entries());
    }

    [Fact]
    public void Empty_archive_round_trips()
    {
        using var dir = new TempDirectory();
        var path = dir.File("empty.npz");
        NpzArchive.Write(path, []);
        Assert.Empty(NpzArchive.Read(path));
    }

    [Fact]
    public void Reads_compressed_entries_and_skips_non_npy_entries()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            var entry = zip.CreateEntry("rewards.npy", CompressionLevel.Optimal);
            using (var stream = entry.Open())
                NpyFormat.Write(stream, NdArray.FromDoubles([1, 2, 3], 3));
            using (var stream = zip.CreateEntry("README.txt").Open())
                stream.Write("hello"u8);
        }

        var arrays = NpzArchive.Read(path);
        Assert.Equal(["rewards"], arrays.Keys);
        Assert.Equal([1.0, 2, 3], arrays["rewards"].Doubles!);
    }

    [Fact]
    public void Failed_write_leaves_no_file_and_keeps_the_old_one()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.npz");
        Assert.Throws<ArgumentException>(() => NpzArchive.Write(path, [new("a", NdArray.Scalar(1.0)), new("a", NdArray.Scalar(2.0))]));
        Assert.Empty(dir.Entries());

        NpzArchive.Write(path, [new("a", NdArray.Scalar(1.0))]);
        Assert.Throws<ArgumentException>(() => NpzArchive.Write(path, [new("b", NdArray.Scalar(2.0)), new("", NdArray.Scalar(2.0))]));
        Assert.Equal(["m.npz"], dir.Entries());
        Assert.Equal(1.0, NpzArchive.Read(path)["a"].AsDouble("a"));
    }

    [Fact]
    public void Failure_inside_the_enumeration_leaves_no_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.npz");
        Assert.Throws<InvalidOperationException>(() => NpzArchive.Write(path, Throwing()));
        Assert.Empty(dir.Entries());

        static IEnumerable<KeyValuePair<string, NdArray>> Throwing()
        {
            yield return new("a", NdArray.FromDoubles(new double[1000], 1000));
            throw new InvalidOperationException("boom");
        }
    }

    [Fact]
    public void Writing_into_a_missing_directory_is_an_array_file_exception()
    {
        var e = Assert.Throws<ArrayFileException>(() => NpzArchive.Write("/nonexistent/dir/m.npz", [new("a", NdArray.Scalar(1.0))]));
        Assert.StartsWith("cannot write file '/nonexistent/dir/m.npz': ", e.Message);
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        var e = Assert.Throws<ArrayFileException>(() => NpzArchive.Read("/nonexistent/m.npz"));
        Assert.StartsWith("cannot read file '/nonexistent/m.npz': ", e.Message);
        Assert.IsType<DirectoryNotFoundException>(e.InnerException);
    }

    [Fact]
    public void Not_a_zip_is_reported_with_the_file_name()
    {
        using var dir = new TempDirectory();
        var path = dir.File("fake.npz");
        File.WriteAllText(path, "this is not a zip file, just some text long enough to look like something");
        var e = Assert.Throws<ArrayFileException>(() => NpzArchive.Read(path));
        Assert.StartsWith($"file '{path}': not a valid .npz (zip) archive", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Truncated_zip_is_reported_with_the_file_name()
    {
        using var dir = new TempDirectory();
        var path = dir.File("cut.npz");
        NpzArchive.Write(path, [new("a", NdArray.FromDoubles(new double[500], 500))]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<ArrayFileException>(() => NpzArchive.Read(path));
        Assert.Contains($"file '{path}'", e.Message);
    }

    [Fact]
    public void Truncated_entry_names_the_entry()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.npz");
        var npy = NpyFormatTests.ToBytes(NdArray.FromDoubles(new double[10], 10));
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var stream = zip.CreateEntry("transitions_data.npy", CompressionLevel.NoCompression).Open();
            stream.Write(npy, 0, npy.Length - 40);
        }

        var e = Assert.Throws<ArrayFileException>(() => NpzArchive.Read(path));
        Assert.Equal($"file '{path}', array 'transitions_data': truncated data (expected 80 bytes, found 40)", e.Message);
    }

    [Fact]
    public void Corrupt_compressed_entry_names_the_entry()
    {
        using var dir = new TempDirectory();
        var path = dir.File("corrupt.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var stream = zip.CreateEntry("values.npy", CompressionLevel.Optimal).Open();
            NpyFormat.Write(stream, NdArray.FromDoubles(Enumerable.Range(0, 2000).Select(i => Math.Sin(i)).ToArray(), 2000));
        }

        // Give the first deflate block the reserved type 3, which every inflater must reject. (Random scribbles are
        // not reliable: the BCL does not verify CRCs, so corrupt data can inflate to plausible garbage.)
        var bytes = File.ReadAllBytes(path);
        var dataStart = 30 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(26)) + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(28));
        bytes[dataStart] |= 0b110;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<ArrayFileException>(() => NpzArchive.Read(path));
        Assert.Contains($"file '{path}', array 'values'", e.Message);
    }
}
