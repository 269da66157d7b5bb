using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ai4h.Audit.Domain.Ledger;

/// <summary>
/// Everything an outside party needs to check the ledger offline: a signed checkpoint and every entry it covers
/// (docs/ledger.md, "Bundle format").
/// </summary>
public sealed record LedgerBundle
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        // Keep the event JSON readable inside the bundle; System.Text.Json would otherwise escape quotes and '+'.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public required string Origin { get; init; }

    /// <summary>The signed checkpoint note text.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The C2SP verifier key the log says it signs with; a verifier should pin the published key instead.</summary>
    public required string VerifierKey { get; init; }

    /// <summary>Every log entry of the tree the checkpoint covers, in leaf order.</summary>
    public required IReadOnlyList<LedgerBundleEntry> Entries { get; init; }

    /// <summary>Optional: the leaf hashes the ledger recorded (lower-case hex, leaf order), to locate a tampered entry.</summary>
    public IReadOnlyList<string>? LeafHashes { get; init; }

    /// <summary>Optional: an earlier checkpoint and the consistency proof from it to <see cref="Checkpoint"/>.</summary>
    public LedgerBundlePrevious? Previous { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses a bundle; throws <see cref="JsonException"/> when the JSON is malformed or a required field is missing.</summary>
    public static LedgerBundle Parse(string json) =>
        JsonSerializer.Deserialize<LedgerBundle>(json, JsonOptions) ?? throw new JsonException("The bundle is empty (null).");
}

/// <summary>An earlier signed checkpoint and the RFC 6962 consistency proof (hex hashes) to the bundle's checkpoint.</summary>
public sealed record LedgerBundlePrevious(string Checkpoint, IReadOnlyList<string> ConsistencyProof);
