using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Hosting;
using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Wolverine.Http;

namespace Ai4h.Audit.Api;

/// <summary>How the Api is put together: event store, messaging, authentication, problem details, endpoints.</summary>
public static class ApiHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        customize?.Invoke(builder);
        var connections = DatabaseConnections.From(
            builder.Configuration[DatabaseConnections.Variable], builder.Configuration[DatabaseConnections.OwnerUserVariable]);

        builder.Services.Configure<RecordLimits>(builder.Configuration.GetSection("Ai4h"));
        var limits = builder.Configuration.GetSection("Ai4h").Get<RecordLimits>() ?? new RecordLimits();
        // The multipart reader and Kestrel refuse oversized bodies before they are buffered (413).
        builder.Services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = limits.MaxUploadBytes);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = limits.MaxUploadBytes + Uploads.FormOverheadBytes);

        builder.AddAuditRecord(connections, RecordProcess.Api, typeof(ApiHost).Assembly);
        builder.Services.AddSingleton(connections);
        builder.Services.Configure<Ledger.LedgerSettings>(builder.Configuration.GetSection(Ledger.LedgerSettings.Section));
        builder.Services.AddSingleton<Ledger.LedgerService>();
        builder.Services.Configure<SigningSecurity>(builder.Configuration.GetSection(SigningSecurity.Section));
        builder.Services.AddOptions<PasswordSettings>().Bind(builder.Configuration.GetSection(PasswordSettings.Section))
            .Validate(s => s.Iterations >= Domain.Identity.Passwords.MinimumProductionIterations || !builder.Environment.IsProduction(),
                $"Ai4h:Passwords:Iterations must be at least {Domain.Identity.Passwords.MinimumProductionIterations} in production.")
            .Validate(s => s.Iterations >= 1, "Ai4h:Passwords:Iterations must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Reauthentication>();
        builder.Services.AddPasswordRateLimiting(builder.Configuration);
        builder.Services.AddSingleton<Ledger.LedgerSequencer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Ledger.LedgerSequencer>());

        builder.Services.AddWolverineHttp();
        builder.Services.AddValidatorsFromAssemblyContaining<RegisterDatasetValidator>(ServiceLifetime.Singleton);
        builder.Services.AddValidatorsFromAssemblyContaining<RecordLimits>(ServiceLifetime.Singleton);

        builder.Services.ConfigureHttpJsonOptions(o => StrictJson.Apply(o.SerializerOptions));
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = StrictJson.AddDetail);
        builder.Services.AddExceptionHandler<RecordExceptionHandler>();
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorization(o =>
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, RefusalRecorder>();
        builder.Services.AddOpenApi();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization: the limiter partitions by the authenticated user, and only requests allowed to reach the
        // endpoint spend a permit.
        app.UseRateLimiter();
        app.Use(StrictJson.CheckJsonBodies);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).AllowAnonymous();
        app.MapWolverineEndpoints(opts =>
        {
            opts.AddMiddleware(typeof(ActorStamp));
        });
        return app;
    }
}
