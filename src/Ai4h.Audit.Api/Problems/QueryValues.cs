using Ai4h.Audit.Domain.Record;

namespace Ai4h.Audit.Api;

/// <summary>
/// Query string values that did not parse. The endpoint binder leaves such a value null, which would silently answer a
/// different question ("?asOfSequence=1;drop" would return today's dossier); this refuses it naming the parameter.
/// </summary>
public static class QueryValues
{
    public static void Parsed(HttpRequest request, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
            if (value is null && !string.IsNullOrWhiteSpace(request.Query[name]))
                throw DecisionRejected.Invalid(name, $"'{request.Query[name]}' is not a valid value for {name}");
    }
}
