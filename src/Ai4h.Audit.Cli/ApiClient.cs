using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Ai4h.Audit.Cli;

/// <summary>A response body as the Api sent it: kept as text so that <c>--json</c> prints it unchanged.</summary>
public sealed record ApiResponse(int Status, string Text, string? FileName)
{
    private JsonNode? _json;

    /// <summary>The body parsed once; a body that is not JSON (a proxy's error page, say) is a failure of the request.</summary>
    public JsonNode Json => _json ??= Parse(Text);

    private static JsonNode Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text) ?? throw new CliFailure(ExitCodes.ApiError, "the Api answered with an empty body");
        }
        catch (System.Text.Json.JsonException)
        {
            var start = Problems.Flatten(text);
            throw new CliFailure(ExitCodes.ApiError, $"the answer is not JSON: {(start.Length > 120 ? start[..120] + "…" : start)}");
        }
    }
}

/// <summary>
/// HTTP to the Api with the user's API key. Failures become <see cref="CliFailure"/>s carrying one readable line:
/// the Api's problem details, or why the Api could not be reached.
/// </summary>
public sealed class ApiClient(HttpClient http, Uri baseAddress, Func<string> apiKey)
{
    /// <summary>Ends in a slash, so that an Api behind a path prefix (https://host/audit/) keeps it.</summary>
    public Uri BaseAddress { get; } = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");

    public Task<ApiResponse> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<ApiResponse> PostJsonAsync(string path, JsonNode body, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), ct);

    public Task<ApiResponse> PostFormAsync(string path, MultipartFormDataContent form, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, form, ct);

    /// <summary>Downloads a file (PDF, bundle) as bytes, with the name the Api suggests.</summary>
    public async Task<(byte[] Bytes, string? FileName)> DownloadAsync(string path, CancellationToken ct)
    {
        using var response = await ExchangeAsync(HttpMethod.Get, path, null, ct);
        return (await response.Content.ReadAsByteArrayAsync(ct), FileNameOf(response));
    }

    private async Task<ApiResponse> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var response = await ExchangeAsync(method, path, content, ct);
        return new ApiResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct), FileNameOf(response));
    }

    private async Task<HttpResponseMessage> ExchangeAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        var key = apiKey();
        // Paths are the Api's own ("/api/…", also in its Location URLs); relative to the base they keep any prefix.
        var uri = new Uri(BaseAddress, path.TrimStart('/'));
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("application/problem+json");
        request.Headers.Accept.ParseAdd("*/*");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliFailure(ExitCodes.Unreachable, $"cannot reach the Api at {BaseAddress}: {Reason(e)} (is it running? set --api or AI4H_API)");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliFailure(ExitCodes.Unreachable, $"the Api at {BaseAddress} did not answer within {http.Timeout.TotalSeconds:0} s");
        }
        if (response.IsSuccessStatusCode) return response;

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new CliFailure(ExitCodes.ApiError, Problems.OneLine((int)response.StatusCode, response.ReasonPhrase, body));
        }
    }

    private static string Reason(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is SocketException socket)
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "host not found",
                    SocketError.TimedOut => "connection timed out",
                    _ => socket.Message,
                };
        return e.Message;
    }

    private static string? FileNameOf(HttpResponseMessage response)
    {
        var disposition = response.Content.Headers.ContentDisposition;
        var name = disposition?.FileNameStar ?? disposition?.FileName;
        return name?.Trim('"');
    }
}

/// <summary>Renders the Api's RFC 9457 problem details as the one line a user reads.</summary>
public static class Problems
{
    /// <summary>
    /// <c>400 manifest.inputTensor: must be …</c> when the problem names fields, else <c>404 Not found: …</c>; a body that
    /// is not problem details is shown short, on the same line.
    /// </summary>
    public static string OneLine(int status, string? reasonPhrase, string body)
    {
        JsonObject? problem = null;
        try { problem = JsonNode.Parse(body) as JsonObject; }
        catch (System.Text.Json.JsonException) { }

        string line;
        if (problem is null)
        {
            var text = Flatten(body);
            line = $"{status} {reasonPhrase ?? "error"}" + (text.Length == 0 ? "" : ": " + (text.Length > 200 ? text[..200] + "…" : text));
        }
        else if (problem["errors"] is JsonObject { Count: > 0 } errors)
        {
            line = $"{status} " + string.Join("; ", errors.Select(e => $"{e.Key}: {Messages(e.Value)}"));
        }
        else
        {
            var title = Text(problem["title"]) ?? reasonPhrase ?? "error";
            var detail = Text(problem["detail"]);
            line = $"{status} {title}" + (string.IsNullOrWhiteSpace(detail) || detail == title ? "" : $": {detail}");
        }
        return Flatten(line);
    }

    private static string Messages(JsonNode? value) => value switch
    {
        JsonArray array => string.Join(" ", array.Select(Text).Where(t => t is not null)),
        _ => Text(value) ?? "",
    };

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();

    /// <summary>One line: newlines and runs of blanks become single spaces.</summary>
    public static string Flatten(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
}
