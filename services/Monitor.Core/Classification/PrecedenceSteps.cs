namespace ReputationMonitor.Core.Classification;

/// <summary>
/// The order in which the classifier reads a response (the design's precedence): a provider's own code, then
/// explicit SPF/DKIM/DMARC/PTR wording, then other explicit wording, then the enhanced status code's class and
/// subject (RFC 3463), then the basic reply code (RFC 5321). The first step with a match decides.
/// </summary>
public static class PrecedenceSteps
{
    public const string ProviderCode = "provider-code", Authentication = "authentication-wording", Wording = "wording",
        EnhancedStatus = "enhanced-status", ReplyCode = "reply-code", None = "none";

    /// <summary>Steps that rules in the data file may name, in precedence order.</summary>
    public static readonly IReadOnlyList<string> RuleSteps = [ProviderCode, Authentication, Wording];

    public static int Rank(string step) => step switch
    {
        ProviderCode => 0, Authentication => 1, Wording => 2, EnhancedStatus => 3, ReplyCode => 4, _ => 5,
    };
}

/// <summary>What a response can say is limited or blocked.</summary>
public static class ResponseScopes
{
    public const string Ip = "ip", Netblock = "netblock", Domain = "domain", Url = "url", Account = "account", Unknown = "unknown";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Ip, Netblock, Domain, Url, Account, Unknown };
}
