using Ai4h.Audit.Domain.Identity;

namespace Ai4h.Audit.Tests.Pure;

public sealed class ApiKeyTests
{
    private static UserAccount AccountWith(ApiKeys.NewKey key) =>
        UserAccount.Create(new UserRegistered(key.Issued.UserId, "u", "U", null, [Role.Auditor])).Apply(key.Issued);

    [Fact]
    public void an_issued_key_matches_its_account_and_only_its_hash_is_kept()
    {
        var key = ApiKeys.Issue(Guid.NewGuid(), "laptop");
        var account = AccountWith(key);

        ApiKeys.Matches(account, ApiKeys.Parse(key.PlainText)!).ShouldBeTrue();
        key.Issued.SecretSha256.Length.ShouldBe(64);
        key.PlainText.ShouldNotContain(key.Issued.SecretSha256);
    }

    [Fact]
    public void a_revoked_key_or_another_secret_does_not_match()
    {
        var key = ApiKeys.Issue(Guid.NewGuid(), "laptop");
        var account = AccountWith(key);
        var other = ApiKeys.Issue(key.Issued.UserId, "other");

        var forged = ApiKeys.Parse(key.PlainText)! with { Secret = ApiKeys.Parse(other.PlainText)!.Secret };
        ApiKeys.Matches(account, forged).ShouldBeFalse();
        ApiKeys.Matches(account.Apply(new ApiKeyRevoked(account.Id, key.Issued.KeyId)), ApiKeys.Parse(key.PlainText)!).ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("ai4h")]
    [InlineData("ai4h_x_y_z")]
    [InlineData("other_00000000000000000000000000000000_00000000000000000000000000000000_0000000000000000000000000000000000000000000000000000000000000000")]
    public void malformed_keys_do_not_parse(string presented)
    {
        ApiKeys.Parse(presented).ShouldBeNull();
    }
}
