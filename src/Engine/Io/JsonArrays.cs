using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TabularRL.Engine.Io;

/// <summary>Reads and writes named arrays as one JSON object, the human-editable sibling of <see cref="NpzArchive"/>.</summary>
/// <remarks>
/// Each property is a number, boolean or string (a 0-d array) or a nested rectangular list of them. JSON has no
/// dtypes, so the kind is inferred: a number spelled with '.', 'e' or 'E' makes the whole array
/// <see cref="NdArrayKind.Float"/>, otherwise numbers are <see cref="NdArrayKind.Integer"/>; an empty list is Float,
/// as in numpy. The writer therefore spells integral doubles with a trailing <c>.0</c> so they read back as floats.
/// </remarks>
public static class JsonArrays
{
    private static readonly JavaScriptEncoder KeyEncoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Reads every property of the file's top-level object as an array.</summary>
    /// <exception cref="ArrayFileException">
    /// The file cannot be read, is not valid JSON, or a value is not a rectangular list of numbers, booleans or
    /// strings; the message names the key and the position inside it, e.g. <c>rewards[3]</c>.
    /// </exception>
    public static IReadOnlyDictionary<string, NdArray> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArrayFileException($"cannot read file '{path}': {e.Message}".ReplaceLineEndings(" "), e);
        }

        return new Parser(path).Parse(bytes);
    }

    /// <summary>Writes the arrays as a JSON object, atomically: on failure nothing is left at <paramref name="path"/>.</summary>
    /// <remarks>Innermost rows go on one line each, so large arrays stay compact while small ones stay readable.</remarks>
    /// <exception cref="ArgumentException">
    /// A key is empty or repeated, an element is NaN or infinite (JSON cannot represent them), or the shape has a
    /// zero-length dimension before a non-last axis (an empty list cannot carry the inner dimensions).
    /// </exception>
    /// <exception cref="ArrayFileException">The file cannot be written.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NdArray>> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        NpyFormat.WriteAtomically(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
            Write(writer, arrays);
        });
    }

    /// <summary>Writes the arrays as a JSON object to <paramref name="writer"/> (e.g. standard output).</summary>
    /// <exception cref="ArgumentException">As for the file overload.</exception>
    public static void Write(TextWriter writer, IEnumerable<KeyValuePair<string, NdArray>> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        writer.Write('{');
        var first = true;
        foreach (var (key, array) in arrays)
        {
            if (string.IsNullOrEmpty(key))
                throw new ArgumentException("array names must not be empty", nameof(arrays));
            if (!seen.Add(key))
                throw new ArgumentException($"array '{key}' is given twice", nameof(arrays));
            ArgumentNullException.ThrowIfNull(array, key);

            writer.Write(first ? "\n  " : ",\n  ");
            first = false;
            WriteString(writer, key);
            writer.Write(": ");
            new ValueWriter(writer, key, array).Write();
        }

        writer.Write(first ? "}\n" : "\n}\n");
    }

    private static void WriteString(TextWriter writer, string value)
    {
        writer.Write('"');
        writer.Write(JsonEncodedText.Encode(value, KeyEncoder).Value);
        writer.Write('"');
    }

    /// <summary>Writes one array as nested lists, innermost rows on a single line.</summary>
    private sealed class ValueWriter(TextWriter writer, string key, NdArray array)
    {
        private readonly long[] _shape = array.Shape.ToArray();

        public void Write()
        {
            for (var axis = 0; axis < _shape.Length - 1; axis++)
            {
                if (_shape[axis] == 0)
                    throw new ArgumentException(
                        $"array '{key}': shape {NdArray.FormatShape(_shape)} cannot be written to JSON (an empty list loses the inner dimensions)");
            }

            if (_shape.Length == 0)
            {
                WriteElement(0, []);
                return;
            }

            long next = 0;
            WriteList(0, new long[_shape.Length], ref next, indent: 2);
        }

        private void WriteList(int axis, long[] index, ref long flat, int indent)
        {
            var count = _shape[axis];
            if (axis == _shape.Length - 1)
            {
                writer.Write('[');
                for (long i = 0; i < count; i++)
                {
                    if (i > 0)
                        writer.Write(", ");
                    index[axis] = i;
                    WriteElement(flat++, index);
                }

                writer.Write(']');
                return;
            }

            writer.Write('[');
            var inner = new string(' ', indent + 2);
            for (long i = 0; i < count; i++)
            {
                writer.Write(i > 0 ? ",\n" : "\n");
                writer.Write(inner);
                index[axis] = i;
                WriteList(axis + 1, index, ref flat, indent + 2);
            }

            writer.Write('\n');
            writer.Write(new string(' ', indent));
            writer.Write(']');
        }

        private void WriteElement(long flat, long[] index)
        {
            switch (array.Kind)
            {
                case NdArrayKind.Float:
                    var value = array.Doubles![flat];
                    if (!double.IsFinite(value))
                        throw new ArgumentException(
                            $"array '{key}': element {key}{FormatIndex(index)} is {value.ToString(CultureInfo.InvariantCulture)}, which JSON cannot represent");
                    var text = value.ToString("R", CultureInfo.InvariantCulture);
                    writer.Write(text);
                    // Without a fraction or exponent the reader would infer an integer array.
                    if (text.AsSpan().IndexOfAny('.', 'E', 'e') < 0)
                        writer.Write(".0");
                    break;
                case NdArrayKind.Integer:
                    writer.Write(array.GetInteger(flat).ToString(CultureInfo.InvariantCulture));
                    break;
                case NdArrayKind.Bool:
                    writer.Write(array.Bools![flat] ? "true" : "false");
                    break;
                default:
                    WriteString(writer, array.Texts![flat]);
                    break;
            }
        }
    }

    private static string FormatIndex(IEnumerable<long> index) => string.Concat(index.Select(i => $"[{i}]"));

    /// <summary>What the leaves of one array have been so far; numbers may still widen from integers to floats.</summary>
    private enum LeafKind
    {
        None,
        Integer,
        Float,
        Bool,
        Text,
    }

    /// <summary>
    /// Streams through the document with <see cref="Utf8JsonReader"/> so that every error, even a syntax error such as
    /// a bare <c>NaN</c>, can name the key and the position inside it.
    /// </summary>
    private sealed class Parser(string fileName)
    {
        private string? _key;
        private readonly List<long> _index = [];

        // Per-array state, reset for every key.
        private readonly List<long> _dims = [];
        private int _leafRank;
        private LeafKind _leafKind;
        private List<long> _longs = [];
        private List<double> _doubles = [];
        private List<bool> _bools = [];
        private List<string> _texts = [];

        public IReadOnlyDictionary<string, NdArray> Parse(byte[] bytes)
        {
            var json = bytes.AsSpan();
            // Editors on Windows like to prepend a byte order mark, which Utf8JsonReader rejects.
            if (json.StartsWith("\uFEFF"u8))
                json = json[3..];
            if (json.Trim(" \t\r\n"u8).IsEmpty)
                throw Error("the file is empty");

            var options = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip };
            var reader = new Utf8JsonReader(json, options);
            var result = new Dictionary<string, NdArray>(StringComparer.Ordinal);
            try
            {
                if (!reader.Read())
                    throw Error("the file is empty");
                if (reader.TokenType != JsonTokenType.StartObject)
                    throw Error($"the top level must be a JSON object, found {Describe(reader.TokenType)}");

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    _key = reader.GetString()!;
                    reader.Read();
                    var array = ParseArray(ref reader);
                    if (!result.TryAdd(_key, array))
                        throw Error("the key appears twice");
                    _key = null;
                }

                // The loop ends on the object's closing brace; anything after it is a syntax error the reader reports.
                if (reader.Read())
                    throw Error("unexpected content after the top-level object");
            }
            catch (JsonException e)
            {
                var line = e.LineNumber is { } l ? $" at line {l + 1}" : "";
                throw Error($"invalid JSON{line}: {TrimPosition(e.Message)}", e);
            }

            return result;
        }

        private NdArray ParseArray(ref Utf8JsonReader reader)
        {
            _dims.Clear();
            _index.Clear();
            _leafRank = -1;
            _leafKind = LeafKind.None;
            _longs = [];
            _doubles = [];
            _bools = [];
            _texts = [];

            if (reader.TokenType == JsonTokenType.StartArray)
                ParseList(ref reader, 0);
            else
                AddLeaf(ref reader, 0);

            var rank = _leafRank >= 0 ? _leafRank : _dims.Count;
            var shape = _dims.Take(rank).ToArray();
            return _leafKind switch
            {
                LeafKind.Integer => NdArray.FromLongs(_longs.ToArray(), shape),
                LeafKind.Bool => NdArray.FromBools(_bools.ToArray(), shape),
                LeafKind.Text => NdArray.FromTexts(_texts.ToArray(), shape),
                // Float, and None for lists that are empty all the way down (numpy's default dtype is float64).
                _ => NdArray.FromDoubles(_doubles.ToArray(), shape),
            };
        }

        /// <summary>Parses a list at nesting depth <paramref name="depth"/>, checking it against the shape so far.</summary>
        private void ParseList(ref Utf8JsonReader reader, int depth)
        {
            if (_leafRank >= 0 && depth >= _leafRank)
                throw Error($"ragged list: expected a {Describe(_leafKind)}, found a list");

            long count = 0;
            _index.Add(0);
            while (true)
            {
                // Set before Read so that a syntax error inside the list names the element it hit.
                _index[depth] = count;
                if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
                    break;
                if (reader.TokenType == JsonTokenType.StartArray)
                    ParseList(ref reader, depth + 1);
                else
                    AddLeaf(ref reader, depth + 1);
                count++;
            }

            _index.RemoveAt(depth);
            while (_dims.Count <= depth)
                _dims.Add(-1);
            if (_dims[depth] < 0)
                _dims[depth] = count;
            else if (_dims[depth] != count)
                throw Error($"ragged list: expected {_dims[depth]} elements, found {count}");
        }

        /// <summary>Adds a scalar found at nesting depth <paramref name="rank"/>, which fixes the array's rank.</summary>
        private void AddLeaf(ref Utf8JsonReader reader, int rank)
        {
            var kind = reader.TokenType switch
            {
                JsonTokenType.Number => reader.ValueSpan.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0 ? LeafKind.Float : LeafKind.Integer,
                JsonTokenType.True or JsonTokenType.False => LeafKind.Bool,
                JsonTokenType.String => LeafKind.Text,
                JsonTokenType.Null => throw Error("null values are not supported"),
                JsonTokenType.StartObject => throw Error("objects are not supported as array values"),
                var other => throw Error($"unexpected {Describe(other)}"),
            };

            if (_leafRank < 0)
            {
                // A deeper list seen earlier (e.g. the [] in [[[]], [1]]) means this leaf sits too shallow.
                if (_dims.Count > rank)
                    throw Error($"ragged list: expected a list, found a {Describe(kind)}");
                _leafRank = rank;
            }
            else if (rank != _leafRank)
            {
                throw Error($"ragged list: expected a list, found a {Describe(kind)}");
            }

            MergeKind(kind);
            switch (_leafKind)
            {
                case LeafKind.Integer:
                    if (!reader.TryGetInt64(out var integer))
                        throw Error($"integer {Encoding.UTF8.GetString(reader.ValueSpan)} is outside the int64 range");
                    _longs.Add(integer);
                    break;
                case LeafKind.Float:
                    if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                        throw Error($"number {Encoding.UTF8.GetString(reader.ValueSpan)} is outside the double range");
                    _doubles.Add(number);
                    break;
                case LeafKind.Bool:
                    _bools.Add(reader.TokenType == JsonTokenType.True);
                    break;
                default:
                    _texts.Add(reader.GetString()!);
                    break;
            }
        }

        private void MergeKind(LeafKind kind)
        {
            if (_leafKind == LeafKind.None || _leafKind == kind)
            {
                _leafKind = kind;
                return;
            }

            if (_leafKind == LeafKind.Integer && kind == LeafKind.Float)
            {
                // The first float turns the whole array into floats, including the integers read so far.
                _doubles = _longs.ConvertAll(v => (double)v);
                _longs = [];
                _leafKind = LeafKind.Float;
                return;
            }

            if (_leafKind == LeafKind.Float && kind == LeafKind.Integer)
                return;

            throw Error($"mixed element types: {Describe(_leafKind)} and {Describe(kind)}");
        }

        private ArrayFileException Error(string problem, Exception? inner = null) =>
            new(fileName, _key is null ? null : _key + FormatIndex(_index), problem, inner);

        private static string Describe(LeafKind kind) => kind switch
        {
            LeafKind.Bool => "boolean",
            LeafKind.Text => "string",
            _ => "number",
        };

        private static string Describe(JsonTokenType token) => token switch
        {
            JsonTokenType.StartArray => "a list",
            JsonTokenType.StartObject => "an object",
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "a number",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            JsonTokenType.Null => "null",
            _ => token.ToString(),
        };

        /// <summary>Drops the reader's " LineNumber: 2 | BytePositionInLine: 7." tail, which the message restates.</summary>
        private static string TrimPosition(string message)
        {
            var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return (at >= 0 ? message[..at] : message).Trim();
        }
    }
}
