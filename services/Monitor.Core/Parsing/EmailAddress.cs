using System.Text;

namespace ReputationMonitor.Core.Parsing;

public static class EmailAddress
{
    /// <summary>The address inside <c>"Name &lt;a@b&gt;"</c>, or the input trimmed.</summary>
    public static string Bare(string source)
    {
        var lt = source.LastIndexOf('<');
        var gt = source.LastIndexOf('>');
        return lt >= 0 && gt > lt ? source[(lt + 1)..gt].Trim() : source.Trim();
    }

    /// <summary>Lower-cased domain of an address, or null when there is none.</summary>
    public static string? Domain(string? address)
    {
        if (string.IsNullOrEmpty(address)) return null;
        var bare = Bare(address);
        var at = bare.LastIndexOf('@');
        return at < 0 || at == bare.Length - 1 ? null : Lower(bare[(at + 1)..]);
    }

    /// <summary>
    /// The one form an address is stored and compared in, by the stream and the API alike: the bare address of
    /// <c>"Name &lt;a@b&gt;"</c>, lower-cased.
    /// </summary>
    public static string Normalize(string address) => Lower(Bare(address));

    /// <summary>Longest address accepted (RFC 5321: 64 for the local part, 255 for the domain, and the '@').</summary>
    public const int MaxLength = 320;

    /// <summary>A single address like <c>name@example.com</c> (after <see cref="Normalize"/>): one '@' with text on both
    /// sides, no white space or control characters, at most <see cref="MaxLength"/> characters.</summary>
    public static bool IsValid(string? address)
    {
        if (string.IsNullOrEmpty(address) || address.Length > MaxLength) return false;
        var at = address.IndexOf('@');
        if (at <= 0 || at == address.Length - 1 || address.IndexOf('@', at + 1) >= 0) return false;
        foreach (var c in address)
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>') return false;
        return true;
    }

    /// <summary>
    /// <see cref="string.ToLowerInvariant"/>, the same instance when there is nothing to lower: addresses and domains are
    /// nearly always lower-case ASCII already, and the invariant lowering checks them a character at a time, on every
    /// record, where these two checks are vectorised.
    /// </summary>
    public static string Lower(string text) =>
        Ascii.IsValid(text) && !text.AsSpan().ContainsAnyInRange('A', 'Z') ? text : text.ToLowerInvariant();

    /// <summary>The SES mailbox simulator: its traffic never moves reputation rates.</summary>
    public static bool IsMailboxSimulator(string address) =>
        address.EndsWith("@simulator.amazonses.com", StringComparison.OrdinalIgnoreCase);
}
