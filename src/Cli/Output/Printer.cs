using System.Globalization;
using System.Text;
using System.Text.Json;
using TabularRL.Engine.Io;

namespace TabularRL.Cli.Output;

/// <summary>Formats results for stdout: aligned tables for people, JSON for programs.</summary>
internal static class Printer
{
    /// <summary>Rows of per-state tables shown before eliding the rest.</summary>
    public const int MaxRows = 20;

    public static string Number(double x) => x.ToString("G10", CultureInfo.InvariantCulture);

    public static string Small(double x) => x.ToString("0.###e+00", CultureInfo.InvariantCulture);

    /// <summary>Writes the arrays as one JSON object (the same layout as a .json result file).</summary>
    public static void Json(CliConsole console, IEnumerable<KeyValuePair<string, NdArray>> arrays)
    {
        JsonArrays.Write(console.Out, arrays);
        console.Out.Flush();
    }

    /// <summary>A number with <paramref name="decimals"/> digits after the point, for measurements in tables.</summary>
    public static string Fixed(double x, int decimals) => x.ToString("F" + decimals, CultureInfo.InvariantCulture);

    /// <summary>Writes one JSON array of flat objects whose values are strings, integers or doubles.</summary>
    /// <param name="console">Where to print.</param>
    /// <param name="objects">The objects, each as its fields in order.</param>
    public static void JsonObjects(CliConsole console, IEnumerable<IEnumerable<(string Key, object Value)>> objects)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var fields in objects) WriteObject(writer, fields);
            writer.WriteEndArray();
        }
        console.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        console.Out.Flush();
    }

    /// <summary>Writes one JSON object whose values are strings, integers, doubles, booleans or arrays of doubles.</summary>
    /// <param name="console">Where to print.</param>
    /// <param name="fields">The fields in order.</param>
    public static void JsonObject(CliConsole console, IEnumerable<(string Key, object Value)> fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            WriteObject(writer, fields);
        console.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        console.Out.Flush();
    }

    private static void WriteObject(Utf8JsonWriter writer, IEnumerable<(string Key, object Value)> fields)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in fields)
        {
            switch (value)
            {
                case string text: writer.WriteString(key, text); break;
                case int n: writer.WriteNumber(key, n); break;
                case long n: writer.WriteNumber(key, n); break;
                case double x: writer.WriteNumber(key, x); break;
                case bool b: writer.WriteBoolean(key, b); break;
                case double[] xs:
                    writer.WriteStartArray(key);
                    foreach (double x in xs) writer.WriteNumberValue(x);
                    writer.WriteEndArray();
                    break;
                default: throw new ArgumentException($"field '{key}' has type {value.GetType().Name}, which the JSON printer does not write", nameof(fields));
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>Writes label/value pairs with the values aligned.</summary>
    public static void Pairs(CliConsole console, IEnumerable<(string Label, string Value)> pairs)
    {
        var list = pairs.ToList();
        int width = list.Max(p => p.Label.Length) + 2;
        foreach (var (label, value) in list)
            console.Out.WriteLine(label.PadRight(width) + value);
    }

    /// <summary>Writes a table with a header; columns are left-aligned and padded to their widest cell.</summary>
    public static void Table(CliConsole console, string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = new int[header.Length];
        foreach (var row in all)
            for (int c = 0; c < row.Length; c++)
                widths[c] = Math.Max(widths[c], row[c].Length);
        foreach (var row in all)
            console.Out.WriteLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
    }

    /// <summary>The note under a table that shows only the first rows.</summary>
    public static void Elided(CliConsole console, int shown, int total, string what)
    {
        if (shown < total)
            console.Out.WriteLine($"... {total - shown} more {what} not shown: --out FILE or --format json gives all of them");
    }
}
