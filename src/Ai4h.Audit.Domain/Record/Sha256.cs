using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ai4h.Audit.Domain.Record;

/// <summary>Lower-case hex SHA-256, the one hash spelling used across the record.</summary>
public static class Sha256
{
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// The hash of <paramref name="value"/>'s JSON, the same bytes <see cref="JsonSerializer.SerializeToUtf8Bytes{T}(T, JsonTypeInfo{T})"/>
    /// would give, hashed as they are written: no copy of the whole document is ever held.
    /// </summary>
    public static string OfJson<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        using var sink = new HashingWriter();
        using (var writer = new Utf8JsonWriter(sink, new JsonWriterOptions { Encoder = typeInfo.Options.Encoder, Indented = typeInfo.Options.WriteIndented }))
            JsonSerializer.Serialize(writer, value, typeInfo);
        return sink.Hex();
    }

    public static bool IsHex(string? value) =>
        value is { Length: 64 } && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>A buffer writer that hashes what is written into it and reuses one pooled buffer.</summary>
    private sealed class HashingWriter : IBufferWriter<byte>, IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);

        public void Advance(int count) => _hash.AppendData(_buffer, 0, count);

        public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint);

        public string Hex() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _hash.Dispose();
        }

        private byte[] Ensure(int sizeHint)
        {
            if (sizeHint > _buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(sizeHint);
            }
            return _buffer;
        }
    }
}
