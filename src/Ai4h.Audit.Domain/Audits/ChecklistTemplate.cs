using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ai4h.Audit.Domain.Record;

namespace Ai4h.Audit.Domain.Audits;

/// <summary>The discipline whose assigned auditor must answer and sign a checklist item.</summary>
public enum Discipline { AiMl, Data, Clinical, Regulatory, Ethics }

/// <summary>A heading that groups checklist items, e.g. "C" / "Data: provenance, representativeness and sequestration".</summary>
public sealed record ChecklistSection(string Id, string Title);

/// <summary>One question or statement an auditor answers met, not met or not applicable.</summary>
public sealed record ChecklistItem(string Id, string Section, string Text, Discipline Discipline, bool EvidenceRequired, IReadOnlyList<string> Sources);

/// <summary>A published, versioned checklist an audit is opened against (docs/checklists.md).</summary>
public sealed record ChecklistTemplate(string Key, int Version, string Name, string Description, IReadOnlyList<string> Sources,
    IReadOnlyList<ChecklistSection> Sections, IReadOnlyList<ChecklistItem> Items)
{
    /// <summary>The disciplines that own at least one item, in enum order: an audit team needs an auditor for each.</summary>
    public IReadOnlyList<Discipline> Disciplines => Enum.GetValues<Discipline>().Where(d => Items.Any(i => i.Discipline == d)).ToList();
}

/// <summary>One broken rule in a template: the field (e.g. "items[3].discipline", "$" for the whole document) and the rule.</summary>
public sealed record TemplateProblem(string Field, string Rule);

/// <summary>A template that breaks one or more rules; every problem is listed, each naming its field.</summary>
public sealed class TemplateRejected(IReadOnlyList<TemplateProblem> problems)
    : Exception(string.Join("; ", problems.Select(p => $"{p.Field}: {p.Rule}")))
{
    public IReadOnlyList<TemplateProblem> Problems { get; } = problems;
}

/// <summary>Parses, validates and fingerprints checklist templates.</summary>
public static partial class ChecklistTemplates
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 4000;
    public const int MaxSourceLength = 1000;
    public const int MaxItemSourceLength = 100;
    public const int MaxTitleLength = 200;
    public const int MaxTextLength = 2000;
    public const int MaxSections = 50;
    public const int MaxItems = 500;

    [GeneratedRegex("^[a-z0-9-]{3,64}$")]
    private static partial Regex KeyPattern();

    // Ids are short codes that appear in reports and problem details; no spaces or punctuation beyond '.' and '-'.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]{0,15}$")]
    private static partial Regex IdPattern();

    private static readonly string[] TemplateMembers = ["key", "version", "name", "description", "sources", "sections", "items"];
    private static readonly string[] SectionMembers = ["id", "title"];
    private static readonly string[] ItemMembers = ["id", "section", "text", "discipline", "evidenceRequired", "sources"];

    /// <summary>
    /// Parses template JSON (camelCase members, disciplines as their names) and validates it. Throws
    /// <see cref="TemplateRejected"/> listing every problem at once: malformed JSON, unknown, duplicate, missing or
    /// mistyped members, and every rule of <see cref="Validate"/>.
    /// </summary>
    public static ChecklistTemplate Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            // Comments and trailing commas are refused: the file is a record, and what is hashed must be all there is.
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new TemplateRejected([new TemplateProblem("$", $"malformed JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstSentence(e.Message)}")]);
        }

        using (document)
        {
            var reader = new Reader();
            var template = reader.Template(document.RootElement);
            // A field already reported as missing or mistyped (or inside one) is not reported again by the rules that
            // read its placeholder.
            var reported = reader.Problems.Select(p => p.Field).ToList();
            bool Covered(string field) => reported.Any(r => r == "$" || field == r || field.StartsWith(r + ".", StringComparison.Ordinal) || field.StartsWith(r + "[", StringComparison.Ordinal));
            var problems = reader.Problems.Concat(Validate(template).Where(p => !Covered(p.Field))).ToList();
            if (problems.Count > 0) throw new TemplateRejected(problems);
            return template;
        }
    }

    /// <summary>
    /// Every rule a template breaks, each naming its field. Rules: key matches ^[a-z0-9-]{3,64}$; version ≥ 1;
    /// name (≤ 200) and description (≤ 4000) not blank; no text holds control characters; at least one source, none
    /// blank or repeated; 1 to 50 sections with unique ids and unique titles, each holding at least one item; 1 to 500
    /// items, each with a unique id (case-insensitive) that starts with its section's id, an existing section, text of
    /// 1 to 2000 characters, a defined discipline and at least one source. A template need not use all five disciplines (a narrow audit may
    /// not need, say, ethics), but every discipline it uses needs an assigned auditor: see <see cref="ChecklistTemplate.Disciplines"/>.
    /// </summary>
    public static IReadOnlyList<TemplateProblem> Validate(ChecklistTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var problems = new List<TemplateProblem>();
        void Fail(string field, string rule) => problems.Add(new TemplateProblem(field, rule));

        if (template.Key is null || !KeyPattern().IsMatch(template.Key)) Fail("key", "must be 3 to 64 characters of a-z, 0-9 and '-'");
        if (template.Version < 1) Fail("version", "must be 1 or more");
        CheckText("name", template.Name, MaxNameLength, Fail);
        CheckText("description", template.Description, MaxDescriptionLength, Fail);
        CheckSources("sources", template.Sources, MaxSourceLength, "cite at least one source the checklist follows", Fail);

        var sections = template.Sections ?? [];
        var items = template.Items ?? [];
        if (sections.Count is 0 or > MaxSections) Fail("sections", $"must hold 1 to {MaxSections} sections");
        var sectionIds = new HashSet<string>(StringComparer.Ordinal);
        var titles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < sections.Count; i++)
        {
            var s = sections[i];
            var field = $"sections[{i}]";
            if (s is null) { Fail(field, "must be an object"); continue; }
            if (s.Id is null || !IdPattern().IsMatch(s.Id)) Fail($"{field}.id", "must be 1 to 16 letters, digits, '.' or '-', starting with a letter or digit");
            else if (!sectionIds.Add(s.Id)) Fail($"{field}.id", $"section id '{s.Id}' is used twice");
            else if (!items.Any(item => item?.Section == s.Id)) Fail($"{field}.id", $"section '{s.Id}' has no items");
            if (CheckText($"{field}.title", s.Title, MaxTitleLength, Fail) && !titles.Add(s.Title.Trim()))
                Fail($"{field}.title", $"section title '{s.Title}' is used twice");
        }

        if (items.Count is 0 or > MaxItems) Fail("items", $"must hold 1 to {MaxItems} items");
        // Case-insensitive so "c3" and "C3" cannot both exist: auditors quote item ids by hand.
        var itemIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var field = $"items[{i}]";
            if (item is null) { Fail(field, "must be an object"); continue; }
            if (item.Id is null || !IdPattern().IsMatch(item.Id)) Fail($"{field}.id", "must be 1 to 16 letters, digits, '.' or '-', starting with a letter or digit");
            else if (!itemIds.Add(item.Id)) Fail($"{field}.id", $"item id '{item.Id}' is used twice");
            else if (item.Section is not null && sectionIds.Contains(item.Section) && !item.Id.StartsWith(item.Section, StringComparison.Ordinal))
                Fail($"{field}.id", $"item id '{item.Id}' must start with its section id '{item.Section}'");
            if (item.Section is null || !sectionIds.Contains(item.Section)) Fail($"{field}.section", $"section '{item.Section}' is not one of the template's sections");
            CheckText($"{field}.text", item.Text, MaxTextLength, Fail);
            if (!Enum.IsDefined(item.Discipline)) Fail($"{field}.discipline", $"must be one of {string.Join(", ", Enum.GetNames<Discipline>())}");
            CheckSources($"{field}.sources", item.Sources, MaxItemSourceLength, "cite at least one source (guidance or local procedure) the item follows", Fail);
        }
        return problems;
    }

    /// <summary>
    /// Lower-case hex SHA-256 of <see cref="CanonicalJson"/>: what an audit pins, with key and version, so it can prove
    /// exactly which checklist it was answered against.
    /// </summary>
    public static string ContentSha256(ChecklistTemplate template) => Sha256.Hex(Encoding.UTF8.GetBytes(CanonicalJson(template)));

    /// <summary>
    /// The fixed serialisation the content hash is taken over: UTF-8 JSON, no whitespace, members in the record's
    /// declaration order, disciplines by name, sections and items in template order, strings exactly as parsed.
    /// The input's formatting and member order do not matter.
    /// </summary>
    public static string CanonicalJson(ChecklistTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        using var buffer = new MemoryStream();
        // Written member by member rather than by the serializer so that no serializer option or attribute can change it.
        // The relaxed encoder escapes only what JSON requires (and a few HTML-sensitive characters), the same on every run.
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("key", template.Key);
            w.WriteNumber("version", template.Version);
            w.WriteString("name", template.Name);
            w.WriteString("description", template.Description);
            WriteStrings(w, "sources", template.Sources);
            w.WriteStartArray("sections");
            foreach (var s in template.Sections)
            {
                w.WriteStartObject();
                w.WriteString("id", s.Id);
                w.WriteString("title", s.Title);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("items");
            foreach (var i in template.Items)
            {
                w.WriteStartObject();
                w.WriteString("id", i.Id);
                w.WriteString("section", i.Section);
                w.WriteString("text", i.Text);
                w.WriteString("discipline", Enum.IsDefined(i.Discipline) ? i.Discipline.ToString() : ((int)i.Discipline).ToString(CultureInfo.InvariantCulture));
                w.WriteBoolean("evidenceRequired", i.EvidenceRequired);
                WriteStrings(w, "sources", i.Sources);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static bool CheckText(string field, string? value, int max, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > max)
        {
            fail(field, $"must be 1 to {max} characters, not blank");
            return false;
        }
        // Control characters (tabs, line breaks) are invisible in a signed checklist and escaped in the canonical JSON,
        // so two texts that read the same could hash differently.
        if (value.Any(char.IsControl))
        {
            fail(field, "must not contain control characters such as tabs or line breaks");
            return false;
        }
        return true;
    }

    private static void CheckSources(string field, IReadOnlyList<string>? sources, int max, string none, Action<string, string> fail)
    {
        if (sources is null || sources.Count == 0) { fail(field, none); return; }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
        {
            if (!CheckText($"{field}[{i}]", sources[i], max, fail)) continue;
            if (!seen.Add(sources[i].Trim())) fail($"{field}[{i}]", $"'{sources[i]}' is cited twice");
        }
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends its own "Path: ... | LineNumber: ..." detail; the position is reported already.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).Trim();
    }

    /// <summary>
    /// Reads the JSON tree by hand rather than with the serializer so that every structural problem is reported at
    /// once with its exact field, and so that a broken field leaves a placeholder for <see cref="Validate"/> to skip.
    /// </summary>
    private sealed class Reader
    {
        public List<TemplateProblem> Problems { get; } = [];

        private void Fail(string field, string rule) => Problems.Add(new TemplateProblem(field, rule));

        public ChecklistTemplate Template(JsonElement root)
        {
            var m = Members(root, "$", TemplateMembers);
            if (m is null) return new ChecklistTemplate("", 0, "", "", [], [], []);
            return new ChecklistTemplate(
                String(m, "key", "key"),
                Int(m, "version", "version"),
                String(m, "name", "name"),
                String(m, "description", "description"),
                Strings(m, "sources", "sources"),
                Array(m, "sections", "sections", Section),
                Array(m, "items", "items", Item));
        }

        private const Discipline Undefined = (Discipline)(-1);

        private ChecklistSection Section(JsonElement e, string field)
        {
            var m = Members(e, field, SectionMembers);
            return m is null ? new ChecklistSection("", "") : new ChecklistSection(String(m, "id", $"{field}.id"), String(m, "title", $"{field}.title"));
        }

        private ChecklistItem Item(JsonElement e, string field)
        {
            var m = Members(e, field, ItemMembers);
            if (m is null) return new ChecklistItem("", "", "", Undefined, false, []);
            return new ChecklistItem(
                String(m, "id", $"{field}.id"),
                String(m, "section", $"{field}.section"),
                String(m, "text", $"{field}.text"),
                DisciplineOf(m, $"{field}.discipline"),
                Bool(m, "evidenceRequired", $"{field}.evidenceRequired"),
                Strings(m, "sources", $"{field}.sources"));
        }

        /// <summary>The members of an object by name, after reporting unknown and repeated ones; null if not an object.</summary>
        private Dictionary<string, JsonElement>? Members(JsonElement e, string field, string[] allowed)
        {
            if (e.ValueKind != JsonValueKind.Object) { Fail(field, "must be a JSON object"); return null; }
            var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            var prefix = field == "$" ? "" : field + ".";
            foreach (var p in e.EnumerateObject())
            {
                // Member names are matched exactly: "Key" or "KEY" is an unknown member, not a second spelling of "key".
                if (!allowed.Contains(p.Name, StringComparer.Ordinal))
                    Fail(prefix + p.Name, $"unknown member; allowed: {string.Join(", ", allowed)}");
                else if (!members.TryAdd(p.Name, p.Value))
                    Fail(prefix + p.Name, "member appears twice");
            }
            foreach (var name in allowed.Where(n => !members.ContainsKey(n))) Fail(prefix + name, "required");
            return members;
        }

        private string String(Dictionary<string, JsonElement> m, string name, string field)
        {
            if (!m.TryGetValue(name, out var v)) return "";
            if (v.ValueKind == JsonValueKind.String) return v.GetString()!;
            Fail(field, "must be a string");
            return "";
        }

        private int Int(Dictionary<string, JsonElement> m, string name, string field)
        {
            if (!m.TryGetValue(name, out var v)) return 0;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)) return n;
            Fail(field, "must be a whole number");
            return 0;
        }

        private bool Bool(Dictionary<string, JsonElement> m, string name, string field)
        {
            if (!m.TryGetValue(name, out var v)) return false;
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
            Fail(field, "must be true or false");
            return false;
        }

        private Discipline DisciplineOf(Dictionary<string, JsonElement> m, string field)
        {
            if (!m.TryGetValue("discipline", out var v)) return Undefined;
            // Names only, matched exactly: numbers would tie the record to the enum's order, which may grow.
            if (v.ValueKind == JsonValueKind.String && Enum.GetNames<Discipline>().Contains(v.GetString(), StringComparer.Ordinal))
                return Enum.Parse<Discipline>(v.GetString()!);
            Fail(field, $"'{(v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())}' is not a discipline; use one of {string.Join(", ", Enum.GetNames<Discipline>())}");
            return Undefined;
        }

        private List<string> Strings(Dictionary<string, JsonElement> m, string name, string field) =>
            Array(m, name, field, (e, f) =>
            {
                if (e.ValueKind == JsonValueKind.String) return e.GetString()!;
                Fail(f, "must be a string");
                return "";
            });

        private List<T> Array<T>(Dictionary<string, JsonElement> m, string name, string field, Func<JsonElement, string, T> read)
        {
            if (!m.TryGetValue(name, out var v)) return [];
            if (v.ValueKind != JsonValueKind.Array) { Fail(field, "must be an array"); return []; }
            // A broken element becomes a placeholder rather than being left out, so that later indices in problems
            // still point at the right element of the input.
            return v.EnumerateArray().Select((e, i) => read(e, $"{field}[{i}]")).ToList();
        }
    }
}
