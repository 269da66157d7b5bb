using System.Reflection;

namespace Ai4h.Audit.Api.Web;

/// <summary>The web application: Razor Pages under <c>Web/Pages</c>, served by the Api itself with the same users and roles.</summary>
public static class WebSetup
{
    public static void AddAuditWeb(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<WebApi>();
        services.AddSingleton<SignInThrottle>();
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Web/Pages";
            o.Conventions.AllowAnonymousToPage("/SignIn");
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "ai4h.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
    }

    public static void MapAuditWeb(this WebApplication app)
    {
        app.MapRazorPages();
        // CSS and JS are embedded in the assembly: no CDN, no web root to deploy, the same bytes as the code.
        app.MapGet("/assets/{name}", (string name) => Asset(name)).AllowAnonymous().ExcludeFromDescription();
    }

    private static IResult Asset(string name)
    {
        var type = Path.GetExtension(name) switch { ".css" => "text/css; charset=utf-8", ".js" => "text/javascript; charset=utf-8", _ => null };
        var stream = type is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream($"Ai4h.Audit.Web.Assets.{name}");
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }
}
