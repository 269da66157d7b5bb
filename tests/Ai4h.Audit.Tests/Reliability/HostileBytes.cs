using System.Net.Http.Headers;
using System.Text;

namespace Ai4h.Audit.Tests.Reliability;

/// <summary>
/// Bytes a well-behaved client library would never send: multipart bodies with any file name (NUL, control
/// characters, traversal), and small ONNX models written protobuf field by field (no python3-onnx needed at test time).
/// </summary>
public static class HostileBytes
{
    /// <summary>
    /// A multipart/form-data body built byte by byte, so that a part's file name reaches the server exactly as given
    /// (HttpClient would refuse or encode a NUL or a newline in a header value).
    /// </summary>
    public static HttpContent Multipart(params (string Field, string? FileName, byte[] Bytes)[] parts)
    {
        const string boundary = "ai4h-hostile-boundary-7d1f";
        var body = new MemoryStream();
        void Write(string s) => body.Write(Encoding.UTF8.GetBytes(s));
        foreach (var (field, fileName, bytes) in parts)
        {
            Write($"--{boundary}\r\n");
            Write(fileName is null
                ? $"Content-Disposition: form-data; name=\"{field}\"\r\n\r\n"
                : $"Content-Disposition: form-data; name=\"{field}\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            body.Write(bytes);
            Write("\r\n");
        }
        Write($"--{boundary}--\r\n");
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        return content;
    }

    public static HttpContent Json(string json, string mediaType = "application/json") =>
        new StringContent(json, new UTF8Encoding(false), mediaType);

    /// <summary>JSON from raw UTF-8 bytes (for bytes that are not valid UTF-8).</summary>
    public static HttpContent JsonBytes(byte[] utf8)
    {
        var content = new ByteArrayContent(utf8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>
    /// A WDBC-shaped binary classifier (float32 <c>features</c> [batch, 30] → MatMul → Softmax → <c>probabilities</c>
    /// [batch, 2]) whose batch dimension is declared as <paramref name="batch"/> (null: symbolic "N"). With
    /// <paramref name="externalWeights"/> the weight initializer claims to live in that file instead of in the model
    /// (ONNX external data), the way a hostile model would try to make the server read a file of its choosing.
    /// </summary>
    public static byte[] OnnxClassifier(long? batch, string? externalWeights = null)
    {
        var weights = new Proto();
        weights.Varint(1, 30).Varint(1, 2).Varint(2, 1).String(8, "W"); // dims, FLOAT, name
        if (externalWeights is null)
        {
            var raw = new byte[30 * 2 * 4];
            for (var i = 0; i < 60; i++) BitConverter.TryWriteBytes(raw.AsSpan(i * 4), (i % 2 == 0 ? 0.01f : -0.01f) * (i % 7));
            weights.Bytes(9, raw);
        }
        else
        {
            weights.Message(13, new Proto().String(1, "location").String(2, externalWeights));
            weights.Message(13, new Proto().String(1, "offset").String(2, "0"));
            weights.Message(13, new Proto().String(1, "length").String(2, "240"));
            weights.Varint(14, 1); // data_location = EXTERNAL
        }

        var graph = new Proto()
            .Message(1, Node("MatMul", ["features", "W"], ["logits"]))
            .Message(1, Node("Softmax", ["logits"], ["probabilities"]))
            .String(2, "hostile")
            .Message(5, weights)
            .Message(11, ValueInfo("features", batch, 30))
            .Message(12, ValueInfo("probabilities", batch, 2));
        return new Proto()
            .Varint(1, 8) // ir_version
            .String(2, "ai4h-audit Reliability/HostileBytes.cs")
            .Message(7, graph)
            .Message(8, new Proto().String(1, "").Varint(2, 13)) // opset 13
            .ToArray();
    }

    private static Proto Node(string op, string[] inputs, string[] outputs)
    {
        var node = new Proto();
        foreach (var i in inputs) node.String(1, i);
        foreach (var o in outputs) node.String(2, o);
        return node.String(3, op.ToLowerInvariant()).String(4, op);
    }

    private static Proto ValueInfo(string name, long? batch, long width)
    {
        var first = batch is { } b ? new Proto().Varint(1, (ulong)b) : new Proto().String(2, "N");
        var shape = new Proto().Message(1, first).Message(1, new Proto().Varint(1, (ulong)width));
        var tensor = new Proto().Varint(1, 1).Message(2, shape); // elem_type FLOAT, shape
        return new Proto().String(1, name).Message(2, new Proto().Message(1, tensor));
    }

    /// <summary>Just enough of the protobuf wire format for ONNX: varints, strings, bytes and nested messages.</summary>
    private sealed class Proto
    {
        private readonly MemoryStream _bytes = new();

        public Proto Varint(int field, ulong value) { Tag(field, 0); Raw(value); return this; }
        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));
        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        public Proto Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            Raw((ulong)value.Length);
            _bytes.Write(value);
            return this;
        }

        public byte[] ToArray() => _bytes.ToArray();

        private void Tag(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

        private void Raw(ulong value)
        {
            while (value >= 0x80) { _bytes.WriteByte((byte)(value | 0x80)); value >>= 7; }
            _bytes.WriteByte((byte)value);
        }
    }
}
