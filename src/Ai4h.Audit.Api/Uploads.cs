namespace Ai4h.Audit.Api;

/// <summary>The upload is larger than <see cref="RecordLimits.MaxUploadBytes"/> (answered with 413).</summary>
public sealed class UploadTooLarge(long limit) : Exception($"the upload is larger than the limit of {limit} bytes")
{
    public long Limit { get; } = limit;
}

public static class Uploads
{
    /// <summary>Room for multipart boundaries and small form fields beside the file itself.</summary>
    public const long FormOverheadBytes = 64 * 1024;

    /// <summary>Reads a multipart form, refusing oversized bodies before buffering them where the length is known.</summary>
    public static async Task<IFormCollection> ReadFormAsync(HttpRequest request, RecordLimits limits, CancellationToken ct)
    {
        if (request.ContentLength > limits.MaxUploadBytes + FormOverheadBytes) throw new UploadTooLarge(limits.MaxUploadBytes);
        try
        {
            return await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw new UploadTooLarge(limits.MaxUploadBytes);
        }
    }
}
