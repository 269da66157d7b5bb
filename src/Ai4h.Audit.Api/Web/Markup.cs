using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Ai4h.Audit.Dossiers.Pdf;
using Microsoft.AspNetCore.Html;

namespace Ai4h.Audit.Api.Web;

/// <summary>
/// Markup the pages share: any JSON answer of the Api laid out for people (objects as definition lists, lists of
/// records as tables), and the dossier's charts as inline SVG (the same points the PDF draws).
/// </summary>
public static class Markup
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static IHtmlContent Json(JsonNode? node) => new HtmlString(Render(node, 0));

    private static string Render(JsonNode? node, int depth) => node switch
    {
        null => "<span class=\"muted\">none</span>",
        JsonObject o when o.Count == 0 => "<span class=\"muted\">empty</span>",
        JsonObject o => "<dl class=\"json\">" + string.Concat(o.Select(p =>
            $"<dt>{E(Label(p.Key))}</dt><dd>{Render(p.Value, depth + 1)}</dd>")) + "</dl>",
        JsonArray a when a.Count == 0 => "<span class=\"muted\">none</span>",
        JsonArray a when a.All(x => x is JsonObject) && depth < 6 => Table(a.Cast<JsonObject>().ToList(), depth),
        JsonArray a => "<ul>" + string.Concat(a.Select(x => $"<li>{Render(x, depth + 1)}</li>")) + "</ul>",
        JsonValue v => Value(v),
        _ => E(node.ToJsonString()),
    };

    private static string Table(IReadOnlyList<JsonObject> rows, int depth)
    {
        var keys = rows.SelectMany(r => r.Select(p => p.Key)).Distinct().ToList();
        var sb = new StringBuilder("<div class=\"scroll\"><table><thead><tr>");
        foreach (var k in keys) sb.Append("<th scope=\"col\">").Append(E(Label(k))).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var r in rows)
        {
            sb.Append("<tr>");
            foreach (var k in keys) sb.Append("<td>").Append(Render(r[k], depth + 1)).Append("</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</tbody></table></div>").ToString();
    }

    private static string Value(JsonValue v)
    {
        if (v.TryGetValue<bool>(out var b)) return b ? "yes" : "<strong>no</strong>";
        if (v.TryGetValue<string>(out var s)) return s.Length > 64 && !s.Contains(' ') ? $"<code class=\"hash\">{E(s)}</code>" : E(s);
        return E(v.ToJsonString());
    }

    /// <summary>"storedBytesMatch" → "Stored bytes match".</summary>
    public static string Label(string key)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (i == 0) sb.Append(char.ToUpperInvariant(c));
            else if (char.IsUpper(c) && !char.IsUpper(key[i - 1])) sb.Append(' ').Append(char.ToLowerInvariant(c));
            else sb.Append(c);
        }
        return sb.ToString().Replace("Sha256", "SHA-256").Replace("sha256", "SHA-256");
    }

    private static string E(string s) => Encoder.Encode(s);

    private const int Size = 260, Pad = 36;

    private static string X(double v) => (Pad + v * (Size - 2 * Pad)).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Y(double v) => (Size - Pad - v * (Size - 2 * Pad)).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Frame(string title, string xLabel, string yLabel, string body) =>
        $"""
        <figure class="chart"><svg viewBox="0 0 {Size} {Size}" width="{Size}" height="{Size}" role="img" aria-label="{E(title)}">
        <title>{E(title)}</title>
        <rect x="{Pad}" y="{Pad}" width="{Size - 2 * Pad}" height="{Size - 2 * Pad}" class="plot"/>
        <line x1="{X(0)}" y1="{Y(0)}" x2="{X(1)}" y2="{Y(1)}" class="diagonal"/>
        {string.Concat(new[] { 0.0, 0.5, 1.0 }.Select(t => $"<text x=\"{X(t)}\" y=\"{Size - Pad + 14}\" text-anchor=\"middle\">{t:0.0}</text><text x=\"{Pad - 6}\" y=\"{Y(t)}\" text-anchor=\"end\" dominant-baseline=\"middle\">{t:0.0}</text>"))}
        <text x="{Size / 2}" y="{Size - 4}" text-anchor="middle">{E(xLabel)}</text>
        <text x="12" y="{Size / 2}" text-anchor="middle" transform="rotate(-90 12 {Size / 2})">{E(yLabel)}</text>
        {body}
        </svg><figcaption>{E(title)}</figcaption></figure>
        """;

    public static IHtmlContent Chart(DossierBlock block) => block switch
    {
        RocChart roc => new HtmlString(Frame(roc.Auc is { } auc ? $"{roc.Caption} (AUROC {auc.ToString("0.0000", CultureInfo.InvariantCulture)})" : roc.Caption,
            "False positive rate", "True positive rate",
            $"<polyline class=\"curve\" points=\"{string.Join(' ', roc.Points.Select(p => $"{X(p.Fpr)},{Y(p.Tpr)}"))}\"/>")),
        CalibrationChart cal => new HtmlString(Frame(cal.Caption, "Mean predicted probability", "Observed positive rate",
            $"<polyline class=\"curve\" points=\"{string.Join(' ', cal.Bins.Select(b => $"{X(b.MeanPredicted)},{Y(b.Observed)}"))}\"/>"
            + string.Concat(cal.Bins.Select(b =>
                $"<circle class=\"point\" cx=\"{X(b.MeanPredicted)}\" cy=\"{Y(b.Observed)}\" r=\"{Math.Clamp(2 + Math.Sqrt(b.Cases), 3, 9).ToString("0.#", CultureInfo.InvariantCulture)}\"><title>{b.Cases} cases: predicted {b.MeanPredicted:0.000}, observed {b.Observed:0.000}</title></circle>")))),
        _ => HtmlString.Empty,
    };
}
