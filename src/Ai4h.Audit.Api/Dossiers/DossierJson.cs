using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ai4h.Audit.Api.Dossiers;

/// <summary>
/// The dossier's canonical JSON: web conventions (camelCase), enums by name. Generated at compile time, so writing a
/// dossier (for its hash and for the JSON export) runs without reflection; the bytes are the ones the reflection-based
/// serializer with the same options writes (DossierReadTests checks that on a full dossier).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Dossier))]
public sealed partial class DossierJson : JsonSerializerContext;
