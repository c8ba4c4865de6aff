using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace ReputationMonitor.Api;

/// <summary>Cursor paging: an opaque <c>nextToken</c> that encodes where the last page ended.</summary>
public static class Paging
{
    public const int DefaultPageSize = 100, MaxPageSize = 1000;

    public static string Encode(string lastKey) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes("k:" + lastKey));

    public static bool TryDecode(string? token, out string? lastKey)
    {
        lastKey = null;
        if (string.IsNullOrEmpty(token)) return true;
        try
        {
            var s = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token));
            if (!s.StartsWith("k:", StringComparison.Ordinal)) return false;
            lastKey = s[2..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Validates paging parameters; errors name the field.</summary>
    public static Dictionary<string, string[]> Validate(int? pageSize, string? nextToken, out int size, out string? after)
    {
        var errors = new Dictionary<string, string[]>();
        size = pageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize) errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        if (!TryDecode(nextToken, out after)) errors["nextToken"] = ["nextToken is not a token this API issued."];
        return errors;
    }
}
