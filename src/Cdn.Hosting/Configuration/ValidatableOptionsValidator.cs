using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Cdn.Hosting.Configuration;

/// <summary>Runs <see cref="IValidatableOptions.Validate"/> and the unknown-key check for one bound section.</summary>
internal sealed class ValidatableOptionsValidator<T> : IValidateOptions<T>
    where T : class, IValidatableOptions
{
    private readonly IConfiguration _section;
    private readonly string _path;

    public ValidatableOptionsValidator(IConfiguration section, string path)
    {
        _section = section;
        _path = path;
    }

    public ValidateOptionsResult Validate(string? name, T options)
    {
        var errors = Check(_section, _path, options);
        return errors.HasErrors ? ValidateOptionsResult.Fail(errors.Errors) : ValidateOptionsResult.Success;
    }

    internal static OptionsErrors Check(IConfiguration section, string path, T options)
    {
        var errors = new OptionsErrors();
        UnknownSettings.Find(section, typeof(T), path, errors);
        options.Validate(path, errors);
        return errors;
    }
}
