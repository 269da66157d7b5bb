using System.Text;
using Ai4h.Audit.Domain.Datasets;

namespace Ai4h.Audit.Tests.Pure;

public sealed class DatasetVerificationTests
{
    private static readonly byte[] Bytes = Encoding.UTF8.GetBytes("id,label\na,1\nb,0\n");

    private static Dataset Uploaded()
    {
        var id = Guid.NewGuid();
        var dataset = Dataset.Create(new DatasetRegistered(id, "n", "d", "o", "u", "l", "m", "t"));
        return dataset.Apply(DatasetDecisions.UploadVersion(dataset, "f.csv", Bytes, null));
    }

    [Fact]
    public void intact_bytes_are_verified()
    {
        DatasetDecisions.Verify(Uploaded(), 1, Bytes, null, "runner").ShouldBeOfType<DatasetVersionVerified>().RowCount.ShouldBe(2);
    }

    [Fact]
    public void altered_or_missing_bytes_fail_with_the_reason()
    {
        var altered = DatasetDecisions.Verify(Uploaded(), 1, Encoding.UTF8.GetBytes("id,label\na,1\nb,1\n"), null, "runner");
        altered.ShouldBeOfType<DatasetVersionVerificationFailed>().Problem.ShouldContain("hash to");

        var missing = DatasetDecisions.Verify(Uploaded(), 1, null, null, "runner");
        missing.ShouldBeOfType<DatasetVersionVerificationFailed>().Problem.ShouldContain("missing");
    }

    [Fact]
    public void a_version_already_judged_or_unknown_gets_no_second_verdict()
    {
        var dataset = Uploaded();
        var verified = dataset.Apply((DatasetVersionVerified)DatasetDecisions.Verify(dataset, 1, Bytes, null, "runner")!);

        DatasetDecisions.Verify(verified, 1, Bytes, null, "runner").ShouldBeNull();
        DatasetDecisions.Verify(dataset, 2, Bytes, null, "runner").ShouldBeNull();
        verified.Versions[0].Verification.ShouldBe(VerificationStatus.Verified);
    }
}
