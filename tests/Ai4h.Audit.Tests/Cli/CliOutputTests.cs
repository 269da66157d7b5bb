using Ai4h.Audit.Cli;

namespace Ai4h.Audit.Tests.Cli;

/// <summary>Pure tests of what the CLI prints: problem details as one line, and progress on a terminal or a pipe.</summary>
public sealed class CliOutputTests
{
    [Fact]
    public void field_errors_become_field_colon_rule_pairs_on_one_line()
    {
        const string problem = """
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"Invalid request","status":400,
             "detail":"name: must not be empty. licence: must not be empty.",
             "errors":{"name":["must not be empty."],"licence":["must not be empty.","must be at most 200 characters."]}}
            """;
        Problems.OneLine(400, "Bad Request", problem)
            .ShouldBe("400 name: must not be empty.; licence: must not be empty. must be at most 200 characters.");
    }

    [Fact]
    public void a_problem_without_field_errors_shows_its_title_and_detail_and_a_body_that_is_not_json_is_shown_short()
    {
        Problems.OneLine(409, "Conflict", """{"title":"Conflict","status":409,"detail":"the data set is at version 3\nnot 2"}""")
            .ShouldBe("409 Conflict: the data set is at version 3 not 2");
        Problems.OneLine(502, "Bad Gateway", "<html>\n<body>proxy error</body>\n</html>").ShouldBe("502 Bad Gateway: <html> <body>proxy error</body> </html>");
        Problems.OneLine(404, "Not Found", "").ShouldBe("404 Not Found");
    }

    [Fact]
    public void progress_is_a_redrawn_bar_on_a_terminal_and_plain_changed_lines_otherwise()
    {
        var terminal = new StringWriter();
        var bar = new ProgressDisplay(terminal, terminal: true);
        bar.Show("Running", 50, 200, "scoring");
        bar.Show("Completed", 200, 200, "completed");
        bar.End();
        terminal.ToString().ShouldStartWith("\r[#######.......................] running 50/200 cases scoring");
        terminal.ToString().ShouldContain("\r[##############################] completed 200/200 cases completed");
        terminal.ToString().ShouldEndWith(Environment.NewLine);

        var pipe = new StringWriter();
        var lines = new ProgressDisplay(pipe, terminal: false);
        lines.Show("Requested", 0, 0, "");
        lines.Show("Running", 50, 200, "scoring");
        lines.Show("Running", 50, 200, "scoring");
        lines.Show("Completed", 200, 200, "completed");
        lines.End();
        pipe.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
            .ShouldBe(["requested", "running 50/200 cases scoring", "completed 200/200 cases completed"]);
    }
}
