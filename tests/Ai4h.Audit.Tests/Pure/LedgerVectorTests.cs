using Ai4h.Audit.Domain.Ledger;
using Org.BouncyCastle.Crypto.Parameters;

namespace Ai4h.Audit.Tests.Pure;

/// <summary>
/// Published test vectors: RFC 6962 trees from transparency-dev/merkle (testonly/constants.go for leaves and roots,
/// cmd/proofgen/main.go for inclusion and consistency proofs, the same vectors google/trillian and
/// google/certificate-transparency-go have used), RFC 8032 §7.1 TEST 1 for Ed25519, and the example of c2sp.org/signed-note.
/// </summary>
public sealed class LedgerVectorTests
{
    private static byte[] H(string hex) => Convert.FromHexString(hex);

    // transparency-dev/merkle testonly/constants.go, LeafInputs().
    private static readonly byte[][] LeafInputs =
        new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }
            .Select(H).ToArray();

    // transparency-dev/merkle testonly/constants.go, RootHashes(), for sizes 0..8.
    private static readonly string[] Roots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    // transparency-dev/merkle testonly/constants.go, NodeHashes()[0]: the leaf hashes.
    private static readonly string[] LeafHashes =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ];

    // transparency-dev/merkle cmd/proofgen/main.go, inclusionProofs: (leaf index, tree size, proof). The file counts leaves
    // from 1; the indices here count from 0.
    public static TheoryData<int, int, string[]> InclusionVectors() => new()
    {
        { 0, 1, [] },
        { 0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
        { 1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
    };

    // transparency-dev/merkle cmd/proofgen/main.go, consistencyProofs: (old size, new size, proof).
    public static TheoryData<int, int, string[]> ConsistencyVectors() => new()
    {
        { 1, 1, [] },
        { 1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
        { 6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
    };

    private static MerkleLog ClassicLog()
    {
        var log = new MerkleLog();
        foreach (var input in LeafInputs) log.Append(Rfc6962.LeafHash(input));
        return log;
    }

    [Fact]
    public void leaf_hashes_and_roots_for_sizes_0_to_8_match_the_published_vectors()
    {
        LeafInputs.Select(i => Convert.ToHexStringLower(Rfc6962.LeafHash(i))).ShouldBe(LeafHashes);
        var log = ClassicLog();
        for (var n = 0; n <= 8; n++)
        {
            var hashes = LeafInputs.Take(n).Select(i => Rfc6962.LeafHash(i)).ToList();
            Convert.ToHexStringLower(Rfc6962.RootOf(hashes)).ShouldBe(Roots[n], $"RootOf, size {n}");
            Convert.ToHexStringLower(log.Root(n)).ShouldBe(Roots[n], $"MerkleLog.Root, size {n}");
        }
        Convert.ToHexStringLower(Rfc6962.EmptyRoot).ShouldBe(Roots[0]);
    }

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void inclusion_proofs_match_the_published_vectors_and_verify(int index, int size, string[] proof)
    {
        var log = ClassicLog();
        log.InclusionProof(index, size).Select(Convert.ToHexStringLower).ShouldBe(proof);
        Rfc6962.VerifyInclusion(log.LeafHash(index), index, size, proof.Select(H).ToList(), H(Roots[size])).ShouldBeTrue();
        Rfc6962.VerifyInclusion(log.LeafHash(index), index, size, proof.Select(H).ToList(), H(Roots[size == 8 ? 7 : size + 1])).ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public void consistency_proofs_match_the_published_vectors_and_verify(int oldSize, int newSize, string[] proof)
    {
        ClassicLog().ConsistencyProof(oldSize, newSize).Select(Convert.ToHexStringLower).ShouldBe(proof);
        Rfc6962.VerifyConsistency(oldSize, newSize, H(Roots[oldSize]), H(Roots[newSize]), proof.Select(H).ToList()).ShouldBeTrue();
        Rfc6962.VerifyConsistency(oldSize, newSize, H(Roots[oldSize - 1]), H(Roots[newSize]), proof.Select(H).ToList()).ShouldBeFalse();
    }

    [Fact]
    public void ed25519_matches_rfc_8032_test_1()
    {
        // RFC 8032 §7.1, TEST 1: the empty message.
        var secret = H("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        const string Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
        const string Signature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

        var signer = new CheckpointSigner("rfc8032.example/test1", secret);
        Convert.ToHexStringLower(signer.PublicKey).ShouldBe(Public);

        var bc = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
        bc.Init(true, new Ed25519PrivateKeyParameters(secret));
        Convert.ToHexStringLower(bc.GenerateSignature()).ShouldBe(Signature);
        SignedNote.VerifyEd25519(H(Public), [], H(Signature)).ShouldBeTrue();
        SignedNote.VerifyEd25519(H(Public), [0x00], H(Signature)).ShouldBeFalse();
    }

    [Fact]
    public void the_c2sp_signed_note_example_verifies_and_its_key_id_is_recomputed()
    {
        // c2sp.org/signed-note (C2SP/C2SP signed-note.md), "Example".
        const string Vkey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
        const string Note = "This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
        var key = NoteVerifierKey.Parse(Vkey);
        key.KeyId.ShouldBe(0x530d903au);
        key.ToString().ShouldBe(Vkey);
        SignedNote.Verify(Note, key).ShouldBe("This is an example message.\n");
        Should.Throw<NoteVerificationException>(() => SignedNote.Verify(Note.Replace("example message", "exemplary message"), key))
            .Problem.ShouldBe(NoteProblem.BadSignature);
    }
}
