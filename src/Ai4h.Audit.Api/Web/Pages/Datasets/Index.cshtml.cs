using System.Text.Json.Nodes;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Annotations;
using Marten;

namespace Ai4h.Audit.Api.Web.Pages.Datasets;

/// <summary>Data sets (the Api's list, for those who may read them) and the annotation campaigns the user takes part in or oversees.</summary>
public sealed class DatasetsModel(WebApi api, IQuerySession session) : WebPage
{
    public ApiAnswer? Datasets { get; private set; }
    public IReadOnlyList<Guid> DatasetIds { get; private set; } = [];
    public IReadOnlyList<AnnotationCampaign> Campaigns { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Me.HasAnyRole(RoleSets.DatasetReaders))
        {
            Datasets = await api.GetAsync("/api/datasets");
            DatasetIds = (Datasets.Json as JsonArray)?.Select(d => (d as JsonObject)?["id"]?.GetValue<Guid>() ?? (d as JsonObject)?["datasetId"]?.GetValue<Guid>())
                .OfType<Guid>().ToList() ?? [];
        }
        var all = await session.Query<AnnotationCampaign>().ToListAsync(ct);
        var me = Me.UserId;
        Campaigns = Me.HasAnyRole(RoleSets.CampaignOverseers) ? all : all.Where(c => c.Annotators.Contains(me) || c.Arbitrator == me).ToList();
    }
}
