namespace ReputationMonitor.Core.Model;

/// <summary>
/// What an account id may be: it keys every piece of the account's state and output, and the stream's composite keys
/// (<see cref="Aggregation.DimensionKey"/>, suppressions) start with it, so it must not hold their separator.
/// </summary>
public static class AccountIds
{
    public const int MaxLength = 256;

    /// <summary>Why <paramref name="accountId"/> cannot be an account id, or null.</summary>
    public static string? Violation(string? accountId)
    {
        if (string.IsNullOrEmpty(accountId)) return "accountId is empty";
        if (accountId.Length > MaxLength) return $"accountId is longer than {MaxLength} characters";
        foreach (var c in accountId)
        {
            if (c == '/') return "accountId contains '/'";
            if (char.IsControl(c) || char.IsWhiteSpace(c)) return "accountId contains a control or white-space character";
        }
        return null;
    }
}
