namespace Ai4h.Audit.Api.Web.Pages.Datasets;

/// <summary>A data set's versions as the Api lists them (content hash, profile, verification by the Runner).</summary>
public sealed class DatasetModel(WebApi api) : WebPage
{
    public ApiAnswer? Versions { get; private set; }

    public async Task OnGetAsync(Guid datasetId) => Versions = await api.GetAsync($"/api/datasets/{datasetId}/versions");
}
