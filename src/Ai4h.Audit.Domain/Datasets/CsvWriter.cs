using System.Text;

namespace Ai4h.Audit.Domain.Datasets;

/// <summary>Writes rows as RFC 4180 CSV (quoting only where needed, <c>\n</c> line ends).</summary>
public static class CsvWriter
{
    public static byte[] Write(IEnumerable<IReadOnlyList<string>> rows)
    {
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Count; i++)
            {
                if (i > 0) sb.Append(',');
                var cell = row[i];
                if (cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 || cell != cell.Trim())
                    sb.Append('"').Append(cell.Replace("\"", "\"\"")).Append('"');
                else sb.Append(cell);
            }
            sb.Append('\n');
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>The same table without the named columns.</summary>
    public static byte[] WithoutColumns(IReadOnlyList<IReadOnlyList<string>> rows, IReadOnlyCollection<string> drop)
    {
        var keep = Enumerable.Range(0, rows[0].Count).Where(i => !drop.Contains(rows[0][i])).ToArray();
        return Write(rows.Select(r => (IReadOnlyList<string>)keep.Select(i => r[i]).ToList()));
    }
}
