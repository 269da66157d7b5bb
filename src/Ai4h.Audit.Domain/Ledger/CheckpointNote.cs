namespace Ai4h.Audit.Domain.Ledger;

/// <summary>Verifies a signed checkpoint note against a verifier key.</summary>
public static class CheckpointNote
{
    /// <summary>The checkpoint, if a signature by <paramref name="verifierKey"/> verifies; else throws <see cref="NoteVerificationException"/>.</summary>
    public static Checkpoint Verify(string note, string verifierKey)
    {
        NoteVerifierKey key;
        try { key = NoteVerifierKey.Parse(verifierKey); }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new NoteVerificationException(NoteProblem.Malformed, $"The verifier key is malformed: {e.Message}");
        }
        return Verify(note, key);
    }

    public static Checkpoint Verify(string note, NoteVerifierKey key)
    {
        var text = SignedNote.Verify(note, key);
        try { return Checkpoint.Parse(text); }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new NoteVerificationException(NoteProblem.Malformed, $"The signed text is not a checkpoint: {e.Message}");
        }
    }

    /// <summary>Like <see cref="Verify(string, string)"/>, returning the problem instead of throwing.</summary>
    public static bool TryVerify(string note, string verifierKey, out Checkpoint? checkpoint, out NoteVerificationException? problem)
    {
        try
        {
            checkpoint = Verify(note, verifierKey);
            problem = null;
            return true;
        }
        catch (NoteVerificationException e)
        {
            checkpoint = null;
            problem = e;
            return false;
        }
    }
}
