using Ai4h.Audit.Api.History;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Ai4h.Audit.Api.Users;

/// <summary>Create an account. The response holds the user's first API key; it is shown this once only.</summary>
public sealed record RegisterUser(string UserName, string PrintedName, string? Organisation, IReadOnlyList<Role> Roles)
{
    public sealed class Validator : AbstractValidator<RegisterUser>
    {
        public Validator()
        {
            RuleFor(x => x.UserName).NotEmpty().MaximumLength(100).Matches("^[a-z0-9][a-z0-9._-]*$")
                .WithMessage("must be lower-case letters, digits, '.', '_' or '-'");
            RuleFor(x => x.PrintedName).NotEmpty().MaximumLength(200).MustBeAName();
            RuleFor(x => x.Organisation).MaximumLength(200).MustBeAName();
            RuleFor(x => x.Roles).NotEmpty().WithMessage("must name at least one role");
            RuleForEach(x => x.Roles).IsInEnum();
        }
    }
}

public sealed record UserCreatedResponse(Guid UserId, string UserName, IReadOnlyList<Role> Roles, Guid KeyId, string ApiKey)
{
    // Records print every property; the key must not reach a log by way of ToString.
    public override string ToString() => $"UserCreatedResponse {{ UserId = {UserId}, UserName = {UserName}, KeyId = {KeyId} }}";
}

public sealed record IssueApiKey(string Label);

public sealed record ApiKeyIssuedResponse(Guid UserId, Guid KeyId, string ApiKey)
{
    public override string ToString() => $"ApiKeyIssuedResponse {{ UserId = {UserId}, KeyId = {KeyId} }}";
}

public sealed record Me(Guid UserId, string UserName, string PrintedName, string? Organisation, IReadOnlyList<Role> Roles);

public static class RegisterUserEndpoint
{
    public static ProblemDetails Validate(RegisterUser command, RegisterUser.Validator validator) =>
        Validation.Check(validator, command);

    [EndpointSummary("Create a user with roles (administrators only); answers with the user's first API key, once.")]
    [WolverinePost("/api/users", Name = "RegisterUser")]
    [Authorize(Roles = RoleSets.Administrators)]
    [ProducesResponseType<UserCreatedResponse>(201)]
    public static async Task<(IResult, IStartStream)> Post(RegisterUser command, IQuerySession session, CancellationToken ct)
    {
        if (await session.Query<UserAccount>().AnyAsync(u => u.UserName == command.UserName, ct))
            throw DecisionRejected.Conflict($"user name '{command.UserName}' is taken");
        var (registered, key) = Accounts.Open(command.UserName, command.PrintedName, command.Organisation, command.Roles, "first key");
        return (Results.Created($"/api/users/{registered.UserId}",
                new UserCreatedResponse(registered.UserId, registered.UserName, registered.Roles, key.Issued.KeyId, key.PlainText)),
            MartenOps.StartStream<UserAccount>(registered.UserId, registered, key.Issued));
    }
}

public static class IssueApiKeyEndpoint
{
    [EndpointSummary("Issue another API key for a user (administrators only); the key is shown once.")]
    [WolverinePost("/api/users/{userId}/api-keys", Name = "IssueApiKey")]
    [Authorize(Roles = RoleSets.Administrators)]
    public static async Task<ApiKeyIssuedResponse> Post(Guid userId, IssueApiKey command, IDocumentSession session, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<UserAccount>(userId, ct);
        if (stream.Aggregate is null) throw DecisionRejected.NotFound($"user {userId} does not exist");
        if (Text.IsBlank(command.Label) || command.Label.Length > 100)
            throw DecisionRejected.Invalid("label", "must be 1 to 100 characters");
        if (Text.NameProblem(command.Label) is { } problem) throw DecisionRejected.Invalid("label", problem);
        var key = ApiKeys.Issue(userId, command.Label.Trim());
        stream.AppendOne(key.Issued);
        return new ApiKeyIssuedResponse(userId, key.Issued.KeyId, key.PlainText);
    }
}

public static class RevokeApiKeyEndpoint
{
    [EndpointSummary("Withdraw an API key (administrators only). The key stops working at once.")]
    [WolverinePost("/api/users/{userId}/api-keys/{keyId}/revocation", Name = "RevokeApiKey")]
    [Authorize(Roles = RoleSets.Administrators)]
    public static async Task<IResult> Post(Guid userId, Guid keyId, IDocumentSession session, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<UserAccount>(userId, ct);
        var account = stream.Aggregate ?? throw DecisionRejected.NotFound($"user {userId} does not exist");
        var key = account.ApiKeys.FirstOrDefault(k => k.KeyId == keyId) ?? throw DecisionRejected.NotFound($"user {userId} has no key {keyId}");
        if (key.Revoked) throw DecisionRejected.Conflict($"key {keyId} is already revoked");
        stream.AppendOne(new ApiKeyRevoked(userId, keyId));
        return Results.NoContent();
    }
}

public sealed record UserSummary(Guid UserId, string UserName, string PrintedName, string? Organisation, IReadOnlyList<Role> Roles, int ActiveKeys);

public static class UserQueries
{
    [EndpointSummary("List accounts with their roles (administrators only). Key hashes are never returned.")]
    [WolverineGet("/api/users", Name = "ListUsers")]
    [Authorize(Roles = RoleSets.Administrators)]
    public static async Task<IReadOnlyList<UserSummary>> List(IQuerySession session, CancellationToken ct)
    {
        var accounts = await session.Query<UserAccount>().OrderBy(u => u.UserName).ToListAsync(ct);
        return accounts.Select(a => new UserSummary(a.Id, a.UserName, a.PrintedName, a.Organisation, a.Roles,
            a.ApiKeys.Count(k => !k.Revoked))).ToList();
    }

    [EndpointSummary("Who am I: the authenticated user's account and roles.")]
    [WolverineGet("/api/me", Name = "Me")]
    public static async Task<Me> GetMe(System.Security.Claims.ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var account = await session.LoadAsync<UserAccount>(Actor.From(user).UserId, ct)
            ?? throw DecisionRejected.NotFound("your account no longer exists");
        return new Me(account.Id, account.UserName, account.PrintedName, account.Organisation, account.Roles);
    }

    [EndpointSummary("A user's account history (registration, keys issued and revoked, refused requests).")]
    [WolverineGet("/api/users/{userId}/history", Name = "GetUserHistory")]
    [Authorize(Roles = RoleSets.Administrators)]
    public static async Task<IReadOnlyList<RecordedEvent>> History(Guid userId, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<UserAccount>(userId, ct) is null) throw DecisionRejected.NotFound($"user {userId} does not exist");
        return await StreamHistory.ReadAsync(session, userId, ct);
    }
}
