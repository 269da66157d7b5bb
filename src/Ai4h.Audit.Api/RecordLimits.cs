namespace Ai4h.Audit.Api;

/// <summary>Limits on what clients may send (configuration section <c>Ai4h</c>).</summary>
public sealed class RecordLimits
{
    /// <summary>Largest accepted upload, in bytes (default 50 MiB). Larger bodies get 413.</summary>
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;
}
