using System.Security.Claims;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Users;

/// <summary>Set one's own password: the first time with the API key alone, afterwards with the current password too.</summary>
public sealed record SetPassword(string? CurrentPassword, string NewPassword)
{
    // Records print every property; passwords must not reach a log or an exception by way of ToString.
    public override string ToString() => "SetPassword { }";

    // Passwords.Check holds the policy; this only keeps absurd bodies away from the KDF.
    public sealed class Validator : AbstractValidator<SetPassword>
    {
        public Validator()
        {
            RuleFor(x => x.NewPassword).NotEmpty().MaximumLength(1024);
            RuleFor(x => x.CurrentPassword).MaximumLength(1024);
        }
    }
}

/// <summary>Check one's own user name and password, as a signature will.</summary>
public sealed record Reauthenticate(string UserName, string Password, string Purpose)
{
    public override string ToString() => $"Reauthenticate {{ UserName = {UserName}, Purpose = {Purpose} }}";

    public sealed class Validator : AbstractValidator<Reauthenticate>
    {
        public Validator()
        {
            RuleFor(x => x.UserName).NotEmpty().MaximumLength(100);
            RuleFor(x => x.Password).NotEmpty().MaximumLength(1024);
            RuleFor(x => x.Purpose).NotEmpty().MaximumLength(200);
        }
    }
}

/// <summary>Who re-authenticated: the name their signatures will show.</summary>
public sealed record Reauthenticated(Guid UserId, string UserName, string PrintedName);

public static class SetPasswordEndpoint
{
    public const string ChangePurpose = "password change";

    public static ProblemDetails Validate(SetPassword command, SetPassword.Validator validator) => Validation.Check(validator, command);

    [EndpointSummary("Set your own password (for signing). The first time the API key suffices; after that the current password is required.")]
    [EnableRateLimiting(PasswordRateLimit.Policy)]
    [WolverinePost("/api/users/me/password", Name = "SetPassword")]
    [ProducesResponseType(204)]
    public static async Task<IResult> Post(SetPassword command, ClaimsPrincipal user, IDocumentSession session, Reauthentication reauthentication,
        IOptions<PasswordSettings> settings, CancellationToken ct)
    {
        var actor = Actor.From(user);
        try
        {
            Passwords.Check(command.NewPassword, actor.UserName);
        }
        catch (DecisionRejected e) when (e.Field == "password")
        {
            throw DecisionRejected.Invalid("newPassword", e.Rule);
        }

        var before = await session.LoadAsync<UserAccount>(actor.UserId, ct) ?? throw DecisionRejected.NotFound("your account no longer exists");
        if (before.Password is not null)
        {
            if (string.IsNullOrEmpty(command.CurrentPassword))
                throw DecisionRejected.Invalid("currentPassword", "is required to change a password");
            // A wrong current password counts as a failed re-authentication: otherwise this would be a way to guess.
            await reauthentication.VerifyAsync(actor.UserId, before.UserName, command.CurrentPassword, ChangePurpose, ct);
        }

        // Fetched after the verification, which may itself have appended to the stream.
        var stream = await session.Events.FetchForWriting<UserAccount>(actor.UserId, ct);
        if (before.Password is null && stream.Aggregate?.Password is not null)
            throw DecisionRejected.Conflict("a password was set meanwhile; give it as currentPassword to change it");
        stream.AppendOne(new PasswordSet(actor.UserId, Passwords.Hash(command.NewPassword, settings.Value.Iterations)));
        return Results.NoContent();
    }
}

public static class ReauthenticateEndpoint
{
    public static ProblemDetails Validate(Reauthenticate command, Reauthenticate.Validator validator) => Validation.Check(validator, command);

    [EndpointSummary("Check your user name and password before signing; nothing else happens. Failures count towards the signing lock.")]
    [EnableRateLimiting(PasswordRateLimit.Policy)]
    [WolverinePost("/api/users/me/reauthentication", Name = "Reauthenticate")]
    public static async Task<Reauthenticated> Post(Reauthenticate command, ClaimsPrincipal user, Reauthentication reauthentication, CancellationToken ct)
    {
        var account = await reauthentication.VerifyAsync(Actor.From(user).UserId, command.UserName, command.Password, command.Purpose, ct);
        return new Reauthenticated(account.Id, account.UserName, account.PrintedName);
    }
}
