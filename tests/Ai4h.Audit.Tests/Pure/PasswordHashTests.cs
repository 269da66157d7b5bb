using System.Text.Json;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;

namespace Ai4h.Audit.Tests.Pure;

public sealed class PasswordHashTests
{
    private const string Password = "correct horse battery staple";
    private const int FewIterations = 1000;

    [Fact]
    public void a_hashed_password_verifies_and_a_wrong_one_does_not()
    {
        var stored = Passwords.Hash(Password, FewIterations);

        Passwords.Verify(stored, Password).ShouldBeTrue();
        Passwords.Verify(stored, Password + " ").ShouldBeFalse();
        Passwords.Verify(stored, "Correct horse battery staple").ShouldBeFalse();
        Passwords.Verify(stored, "").ShouldBeFalse();
    }

    [Fact]
    public void the_same_password_gets_a_new_salt_and_so_a_new_hash_each_time()
    {
        var first = Passwords.Hash(Password, FewIterations);
        var second = Passwords.Hash(Password, FewIterations);

        first.SaltBase64.ShouldNotBe(second.SaltBase64);
        first.HashBase64.ShouldNotBe(second.HashBase64);
        Convert.FromBase64String(first.SaltBase64).Length.ShouldBe(16);
        Convert.FromBase64String(first.HashBase64).Length.ShouldBe(32);
    }

    [Fact]
    public void the_stored_record_holds_no_plaintext_and_does_not_print_its_hash()
    {
        var stored = Passwords.Hash(Password, FewIterations);
        var json = JsonSerializer.Serialize(new PasswordSet(Guid.NewGuid(), stored));

        json.ShouldNotContain(Password);
        json.ShouldNotContain("horse");
        stored.Algorithm.ShouldBe("PBKDF2-HMAC-SHA256");
        stored.ToString().ShouldNotContain(stored.HashBase64);
        stored.ToString().ShouldNotContain(stored.SaltBase64);
    }

    [Fact]
    public void the_iteration_count_is_recorded_and_used_to_verify()
    {
        var stored = Passwords.Hash(Password, 1234);

        stored.Iterations.ShouldBe(1234);
        Passwords.Verify(stored with { Iterations = 1235 }, Password).ShouldBeFalse();
        Passwords.DefaultIterations.ShouldBe(600_000);
    }

    [Fact]
    public void it_is_standard_pbkdf2_hmac_sha256()
    {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256 (P = "passwd", S = "salt", c = 1); the first 32 of its 64 bytes.
        var vector = new PasswordHash("PBKDF2-HMAC-SHA256", 1, "c2FsdA==", "VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw=");

        Passwords.Verify(vector, "passwd").ShouldBeTrue();
    }

    [Fact]
    public void an_unknown_algorithm_is_not_silently_a_wrong_password()
    {
        var stored = Passwords.Hash(Password, FewIterations) with { Algorithm = "MD5" };

        Should.Throw<NotSupportedException>(() => Passwords.Verify(stored, Password));
    }

    [Theory]
    [InlineData("short1!", "must be at least 12 characters")]
    [InlineData("aaaaaaaaaaaaaaaa", "must not be one character repeated")]
    [InlineData("my name is DR.ADA ok", "must not contain the user name")]
    public void the_policy_names_the_rule_a_password_breaks(string password, string rule)
    {
        var refused = Should.Throw<DecisionRejected>(() => Passwords.Check(password, "dr.ada"));

        refused.Kind.ShouldBe(RejectionKind.Invalid);
        refused.Field.ShouldBe("password");
        refused.Rule.ShouldBe(rule);
        refused.Message.ShouldNotContain(password);
    }

    [Fact]
    public void a_lone_surrogate_is_not_a_password()
    {
        var password = "\ud800" + " lone surrogate here";

        Should.Throw<DecisionRejected>(() => Passwords.Check(password, "u")).Rule.ShouldBe("must be valid Unicode text");
    }

    [Fact]
    public void the_policy_bounds_length_in_characters()
    {
        Should.Throw<DecisionRejected>(() => Passwords.Check(new string('x', 256) + "y", "u")).Rule.ShouldBe("must be at most 256 characters");
        Passwords.Check(new string('x', 255) + "y", "u");
        Passwords.Check("abcdefghijkl", "dr.ada");
        // Twelve characters, each two UTF-16 units: counted as twelve.
        Passwords.Check(string.Concat(Enumerable.Range(0, 12).Select(i => char.ConvertFromUtf32(0x1F600 + i))), "dr.ada");
        Should.Throw<DecisionRejected>(() => Passwords.Check(string.Concat(Enumerable.Range(0, 6).Select(i => char.ConvertFromUtf32(0x1F600 + i))), "u"));
    }
}
