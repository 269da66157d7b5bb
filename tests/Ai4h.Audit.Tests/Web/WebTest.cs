using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Web;

/// <summary>Base for browser journeys: a clean record, and the Api listening on a real port with a browser to drive it.</summary>
public abstract class WebTest(ApiFixture fixture) : ApiTest(fixture)
{
    protected WebApp Web { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Web = await WebApp.StartAsync(Fixture);
    }

    public override async Task DisposeAsync() => await Web.DisposeAsync();
}
