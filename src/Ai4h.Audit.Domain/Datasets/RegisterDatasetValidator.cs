using Ai4h.Audit.Domain.Record;
using FluentValidation;

namespace Ai4h.Audit.Domain.Datasets;

public sealed class RegisterDatasetValidator : AbstractValidator<RegisterDataset>
{
    public RegisterDatasetValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200).MustBeAName();
        RuleFor(x => x.Description).NotEmpty().MaximumLength(4000).MustBeStorable();
        RuleFor(x => x.Owner).NotEmpty().MaximumLength(200).MustBeAName();
        RuleFor(x => x.IntendedUse).NotEmpty().MaximumLength(4000).MustBeStorable();
        RuleFor(x => x.Licence).NotEmpty().MaximumLength(200).MustBeAName();
        RuleFor(x => x.Modality).NotEmpty().MaximumLength(100).MustBeAName();
        RuleFor(x => x.Task).NotEmpty().MaximumLength(200).MustBeAName();
    }
}

/// <summary>The <see cref="Text"/> rules as FluentValidation rules, the reason in the message.</summary>
public static class TextRules
{
    public static IRuleBuilderOptions<T, TText> MustBeAName<T, TText>(this IRuleBuilder<T, TText> rule) =>
        rule.Must(v => v is not string s || Text.NameProblem(s) is null).WithMessage((_, v) => v is string s ? Text.NameProblem(s) ?? "" : "");

    public static IRuleBuilderOptions<T, TText> MustBeStorable<T, TText>(this IRuleBuilder<T, TText> rule) =>
        rule.Must(v => v is not string s || Text.StorageProblem(s) is null).WithMessage((_, v) => v is string s ? Text.StorageProblem(s) ?? "" : "");
}
