using System.Text;
using Ai4h.Audit.Domain.Datasets;

namespace Ai4h.Audit.Tests.Pure;

public sealed class CsvProfilerTests
{
    private static CsvProfile Profile(string csv) => CsvProfiler.Profile(Encoding.UTF8.GetBytes(csv));

    [Fact]
    public void infers_the_narrowest_type_that_fits_every_value()
    {
        var p = Profile("i,n,b,t,e\n1,1.5,true,x,\n-2,3,False,y,NA\n3,1e-3,true,7,\n");
        p.RowCount.ShouldBe(3);
        p.Columns.Select(c => c.Type).ShouldBe([ColumnType.Integer, ColumnType.Number, ColumnType.Boolean, ColumnType.Text, ColumnType.Empty]);
        p.Columns[4].MissingCount.ShouldBe(3);
    }

    [Fact]
    public void counts_empty_and_conventional_markers_as_missing()
    {
        var p = Profile("v\n1\n\nNA\nn/a\nNaN\nnull\n 2 \n".Replace("\n\n", "\n\"\"\n"));
        p.Columns[0].MissingCount.ShouldBe(5);
        p.Columns[0].Type.ShouldBe(ColumnType.Integer);
    }

    [Fact]
    public void infinity_is_not_a_number_a_model_can_be_judged_on()
    {
        Profile("v\n1.0\nInfinity\n").Columns[0].Type.ShouldBe(ColumnType.Text);
    }

    [Fact]
    public void reads_quoted_fields_with_commas_doubled_quotes_and_newlines()
    {
        var rows = CsvProfiler.ReadRows(Encoding.UTF8.GetBytes("id,note\r\n1,\"a, \"\"quoted\"\"\r\nline\"\r\n2,plain\r\n"));
        rows.Count.ShouldBe(3);
        rows[1][1].ShouldBe("a, \"quoted\"\r\nline");
        rows[2][1].ShouldBe("plain");
    }

    [Fact]
    public void a_byte_order_mark_is_not_part_of_the_first_column_name()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("id,x\n1,2\n")).ToArray();
        CsvProfiler.Profile(bytes).Columns[0].Name.ShouldBe("id");
    }

    [Fact]
    public void a_missing_final_newline_is_fine()
    {
        Profile("a,b\n1,2").RowCount.ShouldBe(1);
    }

    [Fact]
    public void distinct_values_are_counted_up_to_a_cap()
    {
        var csv = "v\n" + string.Join("\n", Enumerable.Range(0, CsvProfiler.DistinctCap + 5)) + "\n";
        var column = Profile(csv).Columns[0];
        column.DistinctCountCapped.ShouldBeTrue();
        Profile("v\na\nb\na\n").Columns[0].DistinctCount.ShouldBe(2);
    }

    [Fact]
    public void leading_or_trailing_spaces_in_a_column_name_are_refused()
    {
        Should.Throw<CsvRejected>(() => Profile("id, age\n1,2\n")).Rule.ShouldContain("leading or trailing spaces");
    }

    [Fact]
    public void too_many_columns_are_refused()
    {
        var header = string.Join(",", Enumerable.Range(0, CsvProfiler.MaxColumns + 1).Select(i => $"c{i}"));
        Should.Throw<CsvRejected>(() => Profile(header + "\n")).Rule.ShouldContain("columns");
    }
}
