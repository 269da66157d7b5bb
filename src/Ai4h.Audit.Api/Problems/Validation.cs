using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ai4h.Audit.Api;

/// <summary>Runs a FluentValidation validator before an endpoint and answers 400 with the fields that failed.</summary>
public static class Validation
{
    public static ProblemDetails Check<T>(IValidator<T> validator, T? command)
    {
        if (command is null)
            return new ProblemDetails { Status = 400, Title = "Invalid request", Detail = "The request body is missing." };

        var result = validator.Validate(command);
        if (result.IsValid) return WolverineContinue.NoProblems;

        var errors = result.Errors
            .GroupBy(e => JsonName(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        return new ValidationProblemDetails(errors)
        {
            Status = 400,
            Title = "Invalid request",
            Detail = string.Join(" ", errors.Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}")),
        };
    }

    private static string JsonName(string property) =>
        property.Length == 0 ? property : char.ToLowerInvariant(property[0]) + property[1..];
}
