using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Ai4h.Audit.Cli;

/// <summary>Plain-text output for people: aligned tables and "label  value" blocks.</summary>
public static class Tables
{
    /// <summary>JSON the CLI composes itself (verify reports, export summaries): readable characters left unescaped.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions JsonOutput =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter w, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        if (all.Count == 0)
        {
            w.WriteLine("(none)");
            return;
        }
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Max(r => i < r.Count ? r[i].Length : 0))).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        w.WriteLine(Line(headers));
        w.WriteLine(Line(widths.Select(n => new string('-', n)).ToList()));
        foreach (var row in all) w.WriteLine(Line(row));
    }

    public static void Fields(TextWriter w, params (string Label, string? Value)[] fields)
    {
        var width = fields.Max(f => f.Label.Length);
        foreach (var (label, value) in fields)
            if (!string.IsNullOrEmpty(value)) w.WriteLine($"{(label + ":").PadRight(width + 1)}  {value}");
    }

    /// <summary>A JSON value as text: strings bare, numbers invariant, null as empty.</summary>
    public static string S(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "yes" : "no",
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        JsonArray a => string.Join(", ", a.Select(S)),
        _ => node.ToJsonString(),
    };

    public static string Number(JsonNode? node, string format = "0.0000") =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString(format, CultureInfo.InvariantCulture) : "";

    public static string Short(string hash) => hash.Length > 16 ? hash[..16] + "…" : hash;

    public static JsonArray Items(JsonNode? node) => node as JsonArray ?? [];

    /// <summary>An ISO time from the Api, shown in UTC to the second.</summary>
    public static string Time(JsonNode? node) =>
        DateTimeOffset.TryParse(S(node), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : S(node);

    /// <summary>A metric as "0.9812 [0.9701, 0.9903] bootstrap", or "undefined (why)".</summary>
    public static string Metric(JsonNode? m)
    {
        if (m?["value"] is null) return $"undefined{(m?["note"] is { } note ? $" ({S(note)})" : "")}";
        var interval = m["ci_lower"] is not null ? $" [{Number(m["ci_lower"])}, {Number(m["ci_upper"])}]" : "";
        return $"{Number(m["value"])}{interval} {S(m["method"])}".TrimEnd();
    }
}

/// <summary>Arguments shared by the commands.</summary>
public static class Arguments
{
    /// <summary>A record's id (a GUID), refused with a plain sentence when it is not one.</summary>
    public static Argument<Guid> Id(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Guid.TryParse(text, out var id)) return id;
            result.AddError($"'{text}' is not a {name} id (ids look like 01a230ee-3008-7afb-9e53-d15e99f33c71)");
            return default;
        },
    };
}
