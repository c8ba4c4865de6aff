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
        return at < 0 || at == bare.Length - 1 ? null : bare[(at + 1)..].ToLowerInvariant();
    }

    public static string Normalize(string address) => Bare(address).ToLowerInvariant();

    /// <summary>The SES mailbox simulator: its traffic never moves reputation rates.</summary>
    public static bool IsMailboxSimulator(string address) =>
        address.EndsWith("@simulator.amazonses.com", StringComparison.OrdinalIgnoreCase);
}
