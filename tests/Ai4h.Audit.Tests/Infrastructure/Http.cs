using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ai4h.Audit.Tests.Infrastructure;

public static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<JsonNode> ReadJson(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())
        ?? throw new InvalidOperationException("empty body");

    public static async Task<JsonNode> ShouldBe(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe((int)status, body);
        var json = response.Content.Headers.ContentType?.MediaType?.Contains("json") == true;
        return body.Length == 0 || !json ? new JsonObject() : JsonNode.Parse(body)!;
    }

    /// <summary>Asserts an RFC 9457 problem details body with the status, and returns it.</summary>
    public static async Task<JsonNode> ShouldBeProblem(this HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await response.ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        problem["status"]!.GetValue<int>().ShouldBe((int)status);
        problem["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        return problem;
    }

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> PostRaw(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostFile(this HttpClient client, string url, byte[] bytes, string fileName = "cases.csv",
        IDictionary<string, string>? fields = null)
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bytes), "file", fileName);
        foreach (var (k, v) in fields ?? new Dictionary<string, string>()) form.Add(new StringContent(v), k);
        return client.PostAsync(url, form);
    }
}
