using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Datasets;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Ai4h.Audit.Api.Datasets;

public sealed record DatasetRegisteredResponse(Guid DatasetId, string Url);

public static class RegisterDatasetEndpoint
{
    public static ProblemDetails Validate(RegisterDataset command, IValidator<RegisterDataset> validator) =>
        Validation.Check(validator, command);

    [EndpointSummary("Register a data set: name, description, owner, intended use, licence, modality and task.")]
    [WolverinePost("/api/datasets", Name = "RegisterDataset")]
    [Authorize(Roles = RoleSets.DatasetWriters)]
    [ProducesResponseType<DatasetRegisteredResponse>(201)]
    public static (IResult, IStartStream) Post(RegisterDataset command)
    {
        var id = Guid.CreateVersion7();
        var registered = DatasetDecisions.Register(id, command);
        var url = $"/api/datasets/{id}";
        return (Results.Created(url, new DatasetRegisteredResponse(id, url)), MartenOps.StartStream<Dataset>(id, registered));
    }
}
