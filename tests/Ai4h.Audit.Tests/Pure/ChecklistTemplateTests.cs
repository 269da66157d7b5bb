using System.Text.Json;
using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Audits;

namespace Ai4h.Audit.Tests.Pure;

public sealed class ChecklistTemplateTests
{
    private static readonly string ShippedPath = Path.Combine(AppContext.BaseDirectory, "Checklists", "fg-ai4h-default-v1.json");
    private static string ShippedJson => File.ReadAllText(ShippedPath);

    // The published hash of fg-ai4h-default version 1. Audits pin it; if this test fails the file was edited after
    // publication: restore it and publish the change as version 2 instead (docs/checklists.md).
    private const string PublishedV1Sha256 = "78dcd3035a44ee5e658491d40b715bd8f61261ccd25a6171010a69eb32844ad2";

    private static JsonObject Shipped() => JsonNode.Parse(ShippedJson)!.AsObject();

    private static JsonObject Item(JsonObject template, int index) => template["items"]![index]!.AsObject();

    private static IReadOnlyList<TemplateProblem> Rejected(string json) => Should.Throw<TemplateRejected>(() => ChecklistTemplates.Parse(json)).Problems;

    private static IReadOnlyList<TemplateProblem> Rejected(JsonObject template) => Rejected(template.ToJsonString());

    [Fact]
    public void the_shipped_template_parses_and_breaks_no_rule()
    {
        var template = ChecklistTemplates.Parse(ShippedJson);

        ChecklistTemplates.Validate(template).ShouldBeEmpty();
        template.Key.ShouldBe("fg-ai4h-default");
        template.Version.ShouldBe(1);
        template.Items.Count.ShouldBeInRange(30, 40);
        template.Sections.Select(s => s.Id).ShouldBe(["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]);
        template.Sources.Count.ShouldBeGreaterThanOrEqualTo(5);
    }

    [Fact]
    public void the_shipped_template_gives_every_section_and_every_discipline_several_items()
    {
        var template = ChecklistTemplates.Parse(ShippedJson);

        foreach (var section in template.Sections)
            template.Items.Count(i => i.Section == section.Id).ShouldBeGreaterThan(0, $"section {section.Id}");
        template.Disciplines.ShouldBe(Enum.GetValues<Discipline>());
        foreach (var discipline in Enum.GetValues<Discipline>())
            template.Items.Count(i => i.Discipline == discipline).ShouldBeGreaterThanOrEqualTo(3, $"discipline {discipline}");
        template.Items.ShouldAllBe(i => i.Sources.Count > 0);
        template.Items.Count(i => i.EvidenceRequired).ShouldBeGreaterThan(template.Items.Count / 2);
        template.Items.Where(i => i.Section == "J").ShouldAllBe(i => i.Text.Contains("confirms"));
    }

    [Fact]
    public void the_shipped_template_keeps_its_published_hash()
    {
        ChecklistTemplates.ContentSha256(ChecklistTemplates.Parse(ShippedJson)).ShouldBe(PublishedV1Sha256);
    }

    [Fact]
    public void the_hash_ignores_whitespace_and_member_order()
    {
        var original = ChecklistTemplates.ContentSha256(ChecklistTemplates.Parse(ShippedJson));

        var reordered = Reversed(JsonNode.Parse(ShippedJson)!);
        var compact = reordered.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        var indented = reordered.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        compact.ShouldNotBe(ShippedJson);
        ChecklistTemplates.ContentSha256(ChecklistTemplates.Parse(compact)).ShouldBe(original);
        ChecklistTemplates.ContentSha256(ChecklistTemplates.Parse(indented)).ShouldBe(original);
        ChecklistTemplates.ContentSha256(ChecklistTemplates.Parse(ShippedJson)).ShouldMatch("^[0-9a-f]{64}$");
    }

    [Fact]
    public void the_hash_changes_when_any_item_changes()
    {
        var original = ChecklistTemplates.ContentSha256(ChecklistTemplates.Parse(ShippedJson));

        var text = Shipped();
        Item(text, 5)["text"] = Item(text, 5)["text"]!.GetValue<string>() + " ";
        var evidence = Shipped();
        Item(evidence, 0)["evidenceRequired"] = !Item(evidence, 0)["evidenceRequired"]!.GetValue<bool>();
        var order = Shipped();
        var items = order["items"]!.AsArray();
        var first = items[0]!;
        items.RemoveAt(0);
        items.Insert(1, first);

        foreach (var changed in new[] { text, evidence, order })
            ChecklistTemplates.ContentSha256(ChecklistTemplates.Parse(changed.ToJsonString())).ShouldNotBe(original);
    }

    [Fact]
    public void a_duplicate_item_id_is_refused()
    {
        var template = Shipped();
        Item(template, 1)["id"] = Item(template, 0)["id"]!.GetValue<string>();

        Rejected(template).ShouldContain(p => p.Field == "items[1].id" && p.Rule.Contains("used twice"));
    }

    [Fact]
    public void an_item_in_an_unknown_section_is_refused()
    {
        var template = Shipped();
        Item(template, 3)["section"] = "Z";

        Rejected(template).ShouldContain(p => p.Field == "items[3].section" && p.Rule.Contains("'Z'"));
    }

    [Fact]
    public void an_unknown_discipline_is_refused_with_the_choices()
    {
        var template = Shipped();
        Item(template, 3)["discipline"] = "Statistics";
        var numeric = Shipped();
        Item(numeric, 4)["discipline"] = 2;
        var wrongCase = Shipped();
        Item(wrongCase, 5)["discipline"] = "aiml";

        var problem = Rejected(template).ShouldHaveSingleItem();
        problem.Field.ShouldBe("items[3].discipline");
        problem.Rule.ShouldContain("AiMl, Data, Clinical, Regulatory, Ethics");
        Rejected(numeric).ShouldHaveSingleItem().Field.ShouldBe("items[4].discipline");
        Rejected(wrongCase).ShouldHaveSingleItem().Field.ShouldBe("items[5].discipline");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void empty_item_text_is_refused(string text)
    {
        var template = Shipped();
        Item(template, 2)["text"] = text;

        Rejected(template).ShouldHaveSingleItem().Field.ShouldBe("items[2].text");
    }

    [Fact]
    public void item_text_with_a_line_break_is_refused()
    {
        var template = Shipped();
        Item(template, 2)["text"] = "Is it done?\nReally?";

        Rejected(template).ShouldHaveSingleItem().Field.ShouldBe("items[2].text");
    }

    [Fact]
    public void item_text_over_the_limit_is_refused()
    {
        var template = Shipped();
        Item(template, 2)["text"] = new string('x', ChecklistTemplates.MaxTextLength + 1);

        Rejected(template).ShouldHaveSingleItem().Field.ShouldBe("items[2].text");
    }

    [Fact]
    public void unknown_or_repeated_members_are_refused_where_they_are()
    {
        var template = Shipped();
        template["owner"] = "someone";
        Item(template, 7)["colour"] = "red";
        template["sections"]![0]!.AsObject()["Title"] = "A";

        var problems = Rejected(template);
        problems.ShouldContain(p => p.Field == "owner" && p.Rule.StartsWith("unknown member"));
        problems.ShouldContain(p => p.Field == "items[7].colour");
        problems.ShouldContain(p => p.Field == "sections[0].Title");

        var repeated = ShippedJson.Replace("\"version\": 1,", "\"version\": 1, \"version\": 2,");
        Rejected(repeated).ShouldContain(p => p.Field == "version" && p.Rule.Contains("twice"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"key\": \"x\",}")]
    [InlineData("// comment\n{}")]
    [InlineData("not json")]
    public void malformed_json_is_refused_as_a_whole(string json)
    {
        var problem = Rejected(json).ShouldHaveSingleItem();
        problem.Field.ShouldBe("$");
        problem.Rule.ShouldStartWith("malformed JSON");
    }

    [Fact]
    public void a_document_that_is_not_an_object_is_refused()
    {
        Rejected("[]").ShouldHaveSingleItem().Field.ShouldBe("$");
    }

    [Fact]
    public void every_problem_is_reported_at_once_with_its_field()
    {
        var template = Shipped();
        template["key"] = "Not A Key";
        template["version"] = 0;
        template.Remove("name");
        template["sources"] = new JsonArray();
        template["sections"]!.AsArray().Add(new JsonObject { ["id"] = "A", ["title"] = "Again" });
        Item(template, 0)["evidenceRequired"] = "yes";
        Item(template, 1).Remove("sources");
        Item(template, 2)["id"] = "X9";
        template["items"]!.AsArray().Add(JsonValue.Create(42));

        var fields = Rejected(template).Select(p => p.Field).ToList();

        fields.ShouldBe(
            ["name", "items[0].evidenceRequired", "items[1].sources", "items[39]", "key", "version", "sources", "sections[10].id", "items[2].id"],
            ignoreOrder: true);
    }

    [Fact]
    public void validate_reports_rules_on_a_template_built_in_code()
    {
        var good = ChecklistTemplates.Parse(ShippedJson);
        var item = good.Items[0] with { Discipline = (Discipline)99, Sources = ["GMLP 1", "GMLP 1"] };
        var bad = good with { Items = [item, .. good.Items.Skip(1)], Sections = [.. good.Sections, new ChecklistSection("K", "Extra")] };

        var fields = ChecklistTemplates.Validate(bad).Select(p => p.Field).ToList();

        fields.ShouldBe(["sections[10].id", "items[0].discipline", "items[0].sources[1]"], ignoreOrder: true);
    }

    [Fact]
    public void a_small_template_need_not_use_every_discipline()
    {
        const string json = """
            {"key":"mini","version":3,"name":"Mini","description":"One item.","sources":["Local SOP 4"],
             "sections":[{"id":"A","title":"Only"}],
             "items":[{"id":"A1","section":"A","text":"Is it done?","discipline":"Data","evidenceRequired":false,"sources":["Local SOP 4"]}]}
            """;

        var template = ChecklistTemplates.Parse(json);

        template.Disciplines.ShouldBe([Discipline.Data]);
        template.Items.ShouldHaveSingleItem().Sources.ShouldBe(["Local SOP 4"]);
    }

    /// <summary>The same document with every object's members in reverse order.</summary>
    private static JsonNode Reversed(JsonNode node) => node switch
    {
        JsonObject o => new JsonObject(o.Reverse().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Reversed(p.Value!)))),
        JsonArray a => new JsonArray(a.Select(e => (JsonNode?)Reversed(e!)).ToArray()),
        _ => node.DeepClone(),
    };
}
