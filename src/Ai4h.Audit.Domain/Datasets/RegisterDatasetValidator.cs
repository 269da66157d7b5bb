using FluentValidation;

namespace Ai4h.Audit.Domain.Datasets;

public sealed class RegisterDatasetValidator : AbstractValidator<RegisterDataset>
{
    public RegisterDatasetValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Description).NotEmpty().MaximumLength(4000);
        RuleFor(x => x.Owner).NotEmpty().MaximumLength(200);
        RuleFor(x => x.IntendedUse).NotEmpty().MaximumLength(4000);
        RuleFor(x => x.Licence).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Modality).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Task).NotEmpty().MaximumLength(200);
    }
}
