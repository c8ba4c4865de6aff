using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Api;

/// <summary>
/// Refuses, before any handler runs, what no route accepts and PostgreSQL or a log would choke on: control characters
/// (NUL included) and invalid UTF-8 in the path, a route value or a query parameter, over-long query values, and account
/// ids the stream would refuse. The answer is 400 ProblemDetails naming the field.
/// </summary>
public static class RequestGuard
{
    public const int MaxQueryValueLength = 2048;

    /// <summary>A control character, U+FFFD (what invalid UTF-8 decodes to), or a percent-encoded byte sequence that is not
    /// UTF-8 (ASP.NET leaves such a sequence encoded in a path or query value rather than decoding it).</summary>
    public static bool IsUnsafe(ReadOnlySpan<char> value)
    {
        var encoded = false;
        foreach (var c in value)
        {
            if (char.IsControl(c) || c == '\uFFFD') return true;
            encoded |= c == '%';
        }
        return encoded && !IsPercentEncodedUtf8(value);
    }

    private static bool IsPercentEncodedUtf8(ReadOnlySpan<char> value)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length
                && byte.TryParse(value.Slice(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else if (value[i] < 0x80) bytes.Add((byte)value[i]);
            else bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(value.Slice(i, 1).ToString()));
        }
        var decoded = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes);
        if (!System.Text.Unicode.Utf8.IsValid(decoded)) return false;
        foreach (var c in System.Text.Encoding.UTF8.GetString(decoded))
            if (char.IsControl(c)) return false;
        return true;
    }

    public static IApplicationBuilder UseRequestGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Fault(context.Request) is { } fault)
        {
            await TypedResults.ValidationProblem(new Dictionary<string, string[]> { [fault.Field] = [fault.Message] }).ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    private static (string Field, string Message)? Fault(HttpRequest request)
    {
        foreach (var (name, value) in request.RouteValues)
        {
            if (value is not string text) continue;
            if (IsUnsafe(text)) return (name, $"{name} must not contain control characters or invalid UTF-8.");
            if (string.Equals(name, "accountId", StringComparison.OrdinalIgnoreCase) && AccountIds.Violation(text) is { } invalid)
                return (name, $"{invalid}: an account id is 1 to {AccountIds.MaxLength} printable characters without spaces or '/'.");
        }
        foreach (var (name, values) in request.Query)
        {
            if (IsUnsafe(name)) return ("query", "query parameter names must not contain control characters or invalid UTF-8.");
            foreach (var value in values)
            {
                if (value is null) continue;
                if (IsUnsafe(value)) return (name, $"{name} must not contain control characters or invalid UTF-8.");
                if (value.Length > MaxQueryValueLength) return (name, $"{name} must be at most {MaxQueryValueLength} characters.");
            }
        }
        return IsUnsafe(request.Path.Value) ? ("path", "the path must not contain control characters or invalid UTF-8.") : null;
    }
}
