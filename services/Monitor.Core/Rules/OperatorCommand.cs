namespace ReputationMonitor.Core.Rules;

/// <summary>What an operator asked for, carried to the stream (topic <c>reputation.commands</c>), which owns statuses.</summary>
public sealed class OperatorCommand
{
    public const string Pause = "pause", Resume = "resume", Resolve = "resolve", Extend = "extend",
        Suppress = "suppress", Unsuppress = "unsuppress";

    public required string CommandId { get; set; }
    public required string Type { get; set; }
    public required string Scope { get; set; }
    public required string Entity { get; set; }
    public required string Actor { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>For resolve and extend: the review the operator was looking at.</summary>
    public string? ReviewId { get; set; }

    /// <summary>For resolve: <c>healthy</c> (close the review) or <c>paused</c>.</summary>
    public string? Outcome { get; set; }

    /// <summary>For suppress / unsuppress: the address.</summary>
    public string? Email { get; set; }

    /// <summary>For suppress: many addresses at once (a bulk import, in chunks that keep the record small).</summary>
    public List<string>? Emails { get; set; }

    /// <summary>For suppress: why the addresses are listed (BOUNCE, COMPLAINT, MANUAL); MANUAL when unset.</summary>
    public string? SuppressionReason { get; set; }

    /// <summary>For extend: how much longer the review runs.</summary>
    public TimeSpan? ExtendBy { get; set; }

    /// <summary>The API's HMAC-SHA256 over the rest of the command, hex (<see cref="CommandSignature"/>).</summary>
    public string? Signature { get; set; }
}
