namespace Ai4h.Audit.Api.Web.Pages.Datasets;

/// <summary>A campaign as the Api shows it to this user: an annotator's blinded queue, the arbitrator's disagreements, or an overseer's full view with agreement.</summary>
public sealed class CampaignModel(WebApi api) : WebPage
{
    public ApiAnswer? Campaign { get; private set; }

    public async Task OnGetAsync(Guid campaignId) => Campaign = await api.GetAsync($"/api/campaigns/{campaignId}");
}
