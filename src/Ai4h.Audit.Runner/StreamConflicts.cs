using JasperFx;
using JasperFx.Events;

namespace Ai4h.Audit.Runner;

/// <summary>Another writer appended to the stream between this process's read and its append (Marten's optimistic check).</summary>
public static class StreamConflicts
{
    public static bool IsConflict(Exception e) => e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException
        || e.InnerException is ConcurrencyException or EventStreamUnexpectedMaxEventIdException;
}
