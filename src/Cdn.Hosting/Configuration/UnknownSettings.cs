using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Cdn.Hosting.Configuration;

/// <summary>
/// Finds configuration keys that bind to nothing (a typo such as <c>Volums</c> would otherwise be ignored
/// silently and the daemon would start with defaults the operator did not ask for).
/// </summary>
public static class UnknownSettings
{
    /// <summary>Adds an error for every key under <paramref name="section"/> that <paramref name="type"/> does not have.</summary>
    public static void Find(IConfiguration section, Type type, string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(errors);
        Walk(section, type, path, errors, depth: 0);
    }

    private static void Walk(IConfiguration section, Type type, string path, OptionsErrors errors, int depth)
    {
        if (depth > 16 || IsScalar(type))
        {
            return;
        }

        var elementType = ElementType(type);
        if (elementType is not null)
        {
            foreach (var child in section.GetChildren())
            {
                Walk(child, elementType, OptionsErrors.Path(path, child.Key), errors, depth + 1);
            }

            return;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        foreach (var child in section.GetChildren())
        {
            var property = Array.Find(properties, p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            var childPath = OptionsErrors.Path(path, child.Key);
            if (property is null)
            {
                errors.Add(childPath, $"unknown setting (valid here: {string.Join(", ", Array.ConvertAll(properties, p => p.Name))})");
                continue;
            }

            Walk(child, property.PropertyType, childPath, errors, depth + 1);
        }
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
            || type == typeof(TimeSpan) || type == typeof(DateTimeOffset) || type == typeof(DateTime)
            || type == typeof(Uri) || type == typeof(Guid) || type == typeof(object);
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (!type.IsGenericType || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        var args = type.GetGenericArguments();
        // Dictionaries bind their values; lists and sets bind their elements.
        return args.Length == 2 ? args[1] : args[0];
    }
}
