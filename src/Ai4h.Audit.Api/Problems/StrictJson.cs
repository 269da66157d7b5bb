using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ai4h.Audit.Domain.Record;

namespace Ai4h.Audit.Api;

/// <summary>
/// How request bodies are read: exactly as declared, or refused with 400 naming the JSON path. An unknown property is
/// refused rather than dropped (a misspelt "evidance" must not silently record an answer without its evidence); enums
/// only by name (an undefined number would otherwise be recorded as is); numbers only as numbers. Bodies are checked before
/// binding, too (<see cref="CheckJsonBodies"/>).
/// </summary>
public static class StrictJson
{
    public static void Apply(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
    }

    /// <summary>
    /// Checks a JSON body before an endpoint binds it: a body that is just <c>null</c> (every endpoint expects an object;
    /// a null command would fail inside the endpoint as a 500), and strings the record cannot store (NUL, unpaired
    /// surrogates: PostgreSQL's jsonb would fail the commit), and null inside a list. Each is answered 400 naming the JSON path. Syntax errors
    /// are left to the endpoint's own JSON reader, which names the path too.
    /// </summary>
    public static async Task CheckJsonBodies(HttpContext context, Func<Task> next)
    {
        if (!context.Request.HasJsonContentType())
        {
            await next();
            return;
        }
        context.Request.EnableBuffering();
        byte[] body;
        using (var copy = new MemoryStream())
        {
            await context.Request.Body.CopyToAsync(copy, context.RequestAborted);
            body = copy.ToArray();
        }
        context.Request.Body.Position = 0;
        if (Inspect(body) is { } problem)
        {
            await ProblemResponses.Write(context, StatusCodes.Status400BadRequest, "Invalid request", $"{problem.Field}: {problem.Rule}",
                new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [problem.Field] = [problem.Rule] } });
            return;
        }
        await next();
    }

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; }
        public string? Name { get; set; }
    }

    /// <summary>The first thing in <paramref name="json"/> that no endpoint may receive, with its path; null when there is none.</summary>
    internal static (string Field, string Rule)? Inspect(ReadOnlySpan<byte> json)
    {
        if (json.Length <= 64 && Encoding.UTF8.GetString(json).Trim() == "null")
            return ("body", "the request body is JSON null; send the command as a JSON object");
        var frames = new List<Frame>();
        string Path()
        {
            var path = new StringBuilder();
            foreach (var f in frames)
                if (f.IsArray) path.Append('[').Append(f.Index).Append(']');
                else if (f.Name is not null) path.Append(path.Length > 0 ? "." : "").Append(f.Name);
            return path.Length == 0 ? "body" : path.ToString();
        }
        void NextElement()
        {
            if (frames.Count > 0 && frames[^1].IsArray) frames[^1].Index++;
        }

        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        NextElement();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        if (Text.StorageProblem(name) is { } nameProblem) return (Path(), $"a property name {nameProblem}");
                        frames[^1].Name = name;
                        break;
                    case JsonTokenType.String:
                        if (Text.StorageProblem(reader.GetString()!) is { } problem) return (Path(), $"the text {problem}");
                        NextElement();
                        break;
                    // No command has a list in which null means anything; endpoints would fail on it as a 500.
                    case JsonTokenType.Null when frames.Count > 0 && frames[^1].IsArray:
                        return (Path(), "a list may not contain null");
                    default:
                        NextElement();
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader refuses to decode invalid UTF-8 or an escaped unpaired surrogate ("\ud800").
            return (Path(), "the text is not valid Unicode (invalid UTF-8 or an unpaired surrogate)");
        }
        return null;
    }

    /// <summary>Gives the framework's bare problems (no route, wrong media type) a detail that says what to do.</summary>
    public static void AddDetail(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Detail is not null) return;
        var request = context.HttpContext.Request;
        context.ProblemDetails.Detail = context.ProblemDetails.Status switch
        {
            404 => $"There is nothing at {request.Method} {request.Path} (an id in the path may not be a valid GUID).",
            405 => $"{request.Method} is not allowed on {request.Path}.",
            415 => $"The body's media type '{request.ContentType}' is not accepted: send application/json (uploads: multipart/form-data).",
            _ => context.ProblemDetails.Title,
        };
    }
}
