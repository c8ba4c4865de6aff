using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace ReputationMonitor.Api;

/// <summary>Cursor paging: an opaque <c>nextToken</c> that encodes where the last page ended.</summary>
public static class Paging
{
    public const int DefaultPageSize = 100, MaxPageSize = 1000;

    /// <summary>Longer than any token this API issues (keys are bounded: addresses, ids, instants).</summary>
    public const int MaxTokenLength = 1024;

    public static string Encode(string lastKey) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes("k:" + lastKey));

    public static bool TryDecode(string? token, out string? lastKey)
    {
        lastKey = null;
        if (string.IsNullOrEmpty(token)) return true;
        if (token.Length > MaxTokenLength) return false;
        try
        {
            var s = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token));
            // A forged token could carry NUL (PostgreSQL refuses it in text) or bytes that are not UTF-8.
            if (!s.StartsWith("k:", StringComparison.Ordinal) || s.Any(c => char.IsControl(c) || c == '\uFFFD')) return false;
            lastKey = s[2..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>An instant written into a token as <see cref="DateTime.Ticks"/>: only ticks a <see cref="DateTime"/> can hold.</summary>
    public static bool TryTicks(string text, out DateTime at)
    {
        at = default;
        if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTime.MaxValue.Ticks) return false;
        at = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    /// <summary>A token for a keyset on (instant, id): findings, decisions and reviews by deadline page this way.</summary>
    public static string Encode(DateTime at, Guid id) => Encode($"{at.Ticks}|{id}");

    /// <summary>Validates paging parameters and reads an (instant, id) keyset token; errors name the field.</summary>
    public static Dictionary<string, string[]> ValidateInstantKeyset(int? pageSize, string? nextToken, out int size, out (DateTime At, Guid Id)? after)
    {
        var errors = Validate(pageSize, nextToken, out size, out string? key);
        after = null;
        if (key is null) return errors;
        var parts = key.Split('|');
        if (parts.Length == 2 && TryTicks(parts[0], out var at) && Guid.TryParse(parts[1], out var id)) after = (at, id);
        else errors["nextToken"] = ["nextToken is not a token this API issued."];
        return errors;
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
