using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Ai4h.Audit.Api.Web;

/// <summary>What the Api answered: the status, the JSON body (or the bytes of a download) and, for a problem, its message and fields.</summary>
public sealed record ApiAnswer(int Status, JsonNode? Json, byte[] Bytes, string? ContentType, string? FileName)
{
    public bool Ok => Status is >= 200 and < 300;

    public string? Title => Ok ? null : (Json as JsonObject)?["title"]?.GetValue<string>();

    /// <summary>The problem's detail, as a person reads it.</summary>
    public string Message => Ok ? "" : $"{Title ?? "Refused"} (HTTP {Status}): {(Json as JsonObject)?["detail"]?.GetValue<string>() ?? "no detail"}";

    /// <summary>The problem's field errors (RFC 9457 <c>errors</c>), keyed by the request's field name.</summary>
    public IReadOnlyDictionary<string, string[]> Errors =>
        (Json as JsonObject)?["errors"] is JsonObject errors
            ? errors.ToDictionary(e => e.Key, e => e.Value is JsonArray a ? a.Select(x => x?.ToString() ?? "").ToArray() : [e.Value?.ToString() ?? ""],
                StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string[]>();
}

/// <summary>
/// The pages write through the Api itself, as the signed-in user (their cookie, on this server's own address), so a
/// page can do nothing the Api would refuse, and every rule, refusal and recorded event is the Api's.
/// The address comes from the server's bindings, never from the request's Host header.
/// </summary>
public sealed class WebApi(IServer server, IHttpContextAccessor accessor, WebApiTransport? transport = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };

    public Task<ApiAnswer> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<ApiAnswer> PostAsync(string path, object body) =>
        SendAsync(HttpMethod.Post, path, JsonContent.Create(body, options: Json));

    public Task<ApiAnswer> PostAsync(string path, HttpContent content) => SendAsync(HttpMethod.Post, path, content);

    private async Task<ApiAnswer> SendAsync(HttpMethod method, string path, HttpContent? content)
    {
        var context = accessor.HttpContext ?? throw new InvalidOperationException("no request to act for");
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress(), path)) { Content = content };
        request.Headers.Add(WebAuthentication.WebHeader, "1");
        if (context.Request.Cookies.TryGetValue(WebAuthentication.CookieName, out var cookie))
            request.Headers.Add("Cookie", $"{WebAuthentication.CookieName}={cookie}");
        // A page asked for with an API key (a script, a test) acts with that key, as the Api would for the same caller.
        if (context.Request.Headers.Authorization is { Count: > 0 } authorization)
            request.Headers.TryAddWithoutValidation("Authorization", authorization.ToString());
        if (context.Request.Headers.TryGetValue("X-Api-Key", out var apiKey))
            request.Headers.TryAddWithoutValidation("X-Api-Key", apiKey.ToString());
        using var response = transport is null
            ? await Client.SendAsync(request, context.RequestAborted)
            : await transport.Client.SendAsync(request, context.RequestAborted);
        var bytes = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        var type = response.Content.Headers.ContentType?.MediaType;
        JsonNode? json = null;
        if (type?.Contains("json") == true && bytes.Length > 0 && !(response.Content.Headers.ContentDisposition?.DispositionType == "attachment"))
            json = JsonNode.Parse(bytes);
        return new ApiAnswer((int)response.StatusCode, json, bytes, type,
            response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    private Uri? _base;

    /// <summary>This server's first HTTP binding, reached over loopback.</summary>
    private Uri BaseAddress()
    {
        if (_base is not null) return _base;
        if (transport is not null) return _base = new Uri("http://localhost/");
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the server has no address to call itself on");
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://[::]", "://localhost")
            .Replace("://0.0.0.0", "://127.0.0.1"));
        return _base = uri.Uri;
    }

    public static MediaTypeHeaderValue JsonType => new("application/json");
}

/// <summary>
/// How the pages reach the Api when it has no socket to call (an in-memory test server): a handler that sends requests
/// into the same pipeline. Production registers none and calls its own loopback address.
/// </summary>
public sealed class WebApiTransport(HttpMessageHandler handler)
{
    public HttpClient Client { get; } = new(handler) { BaseAddress = new Uri("http://localhost/"), Timeout = TimeSpan.FromMinutes(5) };
}
