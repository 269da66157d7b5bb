using Ai4h.Audit.Domain.Audits;

namespace Ai4h.Audit.Api.Web;

/// <summary>What the signing dialog shows: the content signed, the signer, and any refusal of the last attempt.</summary>
public sealed record SignDialog(string Key, string? ItemId, string What, string? PrintedName, string? UserName, long ExpectedVersion,
    ApiAnswer? Failure, bool Open, SignatureMeaning DefaultMeaning);
