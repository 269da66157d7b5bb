using System.Globalization;
using System.Text;

namespace Ai4h.Audit.Domain.Datasets;

/// <summary>The type a column's non-missing values all fit, from narrowest to widest.</summary>
public enum ColumnType { Empty, Boolean, Integer, Number, Text }

/// <summary>One column of an uploaded table as the platform profiled it.</summary>
/// <param name="DistinctCount">Distinct non-missing values, counted up to <see cref="CsvProfiler.DistinctCap"/>.</param>
public sealed record ColumnProfile(string Name, ColumnType Type, int MissingCount, int DistinctCount, bool DistinctCountCapped);

/// <summary>What the profiler learnt about a CSV file: its columns and how many data rows it has.</summary>
public sealed record CsvProfile(IReadOnlyList<ColumnProfile> Columns, int RowCount);

/// <summary>Why a file is not an acceptable CSV table; <see cref="Rule"/> is written for the person who uploaded it.</summary>
public sealed class CsvRejected(string rule) : Exception(rule)
{
    public string Rule { get; } = rule;
}

/// <summary>
/// Reads a comma-separated table (RFC 4180: quoted fields, doubled quotes, CRLF or LF, quoted newlines) in strict
/// UTF-8 with an optional BOM, and profiles each column. Anything ambiguous is refused rather than guessed at,
/// because the bytes become evidence that models are judged against.
/// </summary>
public static class CsvProfiler
{
    public const int DistinctCap = 1000;
    public const int MaxColumns = 10_000;

    /// <summary>Cell values read as missing (compared case-insensitively, after trimming spaces).</summary>
    public static readonly IReadOnlySet<string> MissingMarkers =
        new HashSet<string>(["", "NA", "N/A", "NaN", "null"], StringComparer.OrdinalIgnoreCase);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static CsvProfile Profile(ReadOnlySpan<byte> bytes)
    {
        var text = Decode(bytes);
        var records = Parse(text);
        if (records.Count == 0) throw new CsvRejected("the file is empty");

        var header = records[0].Fields;
        CheckHeader(header);
        if (records.Count == 1) throw new CsvRejected("the file has a header but no data rows");

        for (var i = 1; i < records.Count; i++)
        {
            if (records[i].Fields.Count != header.Count)
                throw new CsvRejected(
                    $"row {i} (line {records[i].Line}) has {records[i].Fields.Count} fields but the header has {header.Count}");
        }

        var columns = new ColumnProfile[header.Count];
        for (var c = 0; c < header.Count; c++)
            columns[c] = ProfileColumn(header[c], records, c);
        return new CsvProfile(columns, records.Count - 1);
    }

    /// <summary>Reads the table into rows of cells (header first), after the same checks as <see cref="Profile"/>.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> ReadRows(ReadOnlySpan<byte> bytes)
    {
        Profile(bytes);
        return Parse(Decode(bytes)).Select(r => (IReadOnlyList<string>)r.Fields).ToList();
    }

    public static bool IsMissing(string cell) => MissingMarkers.Contains(cell.Trim());

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        if (bytes.IsEmpty) throw new CsvRejected("the file is empty");
        string text;
        try { text = StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException e)
        {
            throw new CsvRejected($"the file is not UTF-8 text (invalid byte at offset {e.Index}); save it as UTF-8 CSV");
        }
        if (text.Contains('\0')) throw new CsvRejected("the file contains NUL characters: it is binary, not CSV");
        if (string.IsNullOrWhiteSpace(text)) throw new CsvRejected("the file is empty");
        return text;
    }

    private sealed record Row(List<string> Fields, int Line);

    private static List<Row> Parse(string text)
    {
        var rows = new List<Row>();
        var fields = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var rowLine = 1;
        var i = 0;
        var quoted = false;      // inside a quoted field
        var wasQuoted = false;   // the current field was quoted (only a delimiter may follow its closing quote)
        var rowQuoted = false;   // some field of the current row was quoted, so the row is not blank

        void EndField()
        {
            // Refused as soon as a row passes the limit, before the rest of a million-column file is split into cells.
            if (fields.Count == MaxColumns)
                throw new CsvRejected($"line {rowLine} has more than {MaxColumns} fields; at most {MaxColumns} columns are accepted");
            fields.Add(cell.ToString());
            cell.Clear();
            wasQuoted = false;
        }

        void EndRow()
        {
            EndField();
            // A line that is entirely empty only counts as the end of the file (no blank rows mid-table).
            if (rowQuoted || !(fields.Count == 1 && fields[0].Length == 0)) rows.Add(new Row([.. fields], rowLine));
            else if (i < text.Length && rows.Count > 0 && text[i..].Trim().Length > 0)
                throw new CsvRejected($"line {rowLine} is blank in the middle of the table");
            fields.Clear();
            rowQuoted = false;
        }

        while (i < text.Length)
        {
            var ch = text[i++];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i < text.Length && text[i] == '"') { cell.Append('"'); i++; }
                    else quoted = false;
                }
                else
                {
                    if (ch == '\n') line++;
                    cell.Append(ch);
                }
                continue;
            }

            switch (ch)
            {
                case ',':
                    EndField();
                    break;
                case '\r' when i < text.Length && text[i] == '\n':
                    break; // the \n ends the row
                case '\r':
                case '\n':
                    EndRow();
                    line++;
                    rowLine = line;
                    break;
                case '"' when cell.Length == 0 && !wasQuoted:
                    quoted = true;
                    wasQuoted = true;
                    rowQuoted = true;
                    break;
                case '"':
                    throw new CsvRejected($"line {line}: a quote inside an unquoted field; quote the whole field and double the inner quote");
                default:
                    if (wasQuoted)
                        throw new CsvRejected($"line {line}: text after the closing quote of a field; only a comma or a line end may follow it");
                    cell.Append(ch);
                    break;
            }
        }

        if (quoted) throw new CsvRejected($"line {rowLine}: a quoted field is never closed");
        if (fields.Count > 0 || cell.Length > 0 || rowQuoted) EndRow();
        return rows;
    }

    private static void CheckHeader(List<string> header)
    {
        if (header.Count > MaxColumns)
            throw new CsvRejected($"the file has {header.Count} columns; at most {MaxColumns} are accepted");
        if (header.Count == 1 && (header[0].Contains(';') || header[0].Contains('\t') || header[0].Contains('|')))
            throw new CsvRejected("the header has a single column that contains ';', tab or '|': only comma-separated files are accepted");

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var c = 0; c < header.Count; c++)
        {
            var name = header[c];
            if (name.Trim().Length == 0) throw new CsvRejected($"column {c + 1} has no name");
            if (name != name.Trim()) throw new CsvRejected($"column name '{name.Trim()}' has leading or trailing spaces");
            if (!seen.Add(name)) throw new CsvRejected($"column name '{name}' appears more than once");
        }
    }

    private static ColumnProfile ProfileColumn(string name, List<Row> records, int c)
    {
        var missing = 0;
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var capped = false;
        bool allBool = true, allInt = true, allNumber = true;
        for (var r = 1; r < records.Count; r++)
        {
            var value = records[r].Fields[c].Trim();
            if (MissingMarkers.Contains(value)) { missing++; continue; }
            if (!capped)
            {
                distinct.Add(value);
                if (distinct.Count > DistinctCap) { capped = true; distinct.Clear(); }
            }
            allBool &= bool.TryParse(value, out _);
            allInt &= long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
            allNumber &= double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d);
        }

        var type = missing == records.Count - 1 ? ColumnType.Empty
            : allBool ? ColumnType.Boolean
            : allInt ? ColumnType.Integer
            : allNumber ? ColumnType.Number
            : ColumnType.Text;
        return new ColumnProfile(name, type, missing, capped ? DistinctCap : distinct.Count, capped);
    }
}
