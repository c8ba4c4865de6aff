namespace ReputationMonitor.Core.Model;

/// <summary>Recipient mailbox providers the monitor attributes mail to. Indices are stable (stored state).</summary>
public static class Providers
{
    public const int Gmail = 0, Microsoft = 1, Yahoo = 2, Apple = 3, Comcast = 4, Other = 5;
    public const int Count = 6;

    private static readonly string[] Names = ["gmail", "microsoft", "yahoo", "apple", "comcast", "other"];

    public static string Name(int provider) => Names[provider];

    public static int Parse(string? name)
    {
        var i = name is null ? -1 : Array.IndexOf(Names, name.ToLowerInvariant());
        return i < 0 ? Other : i;
    }

    public static IReadOnlyList<string> All => Names;
}
