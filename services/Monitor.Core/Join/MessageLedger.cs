using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Join;

/// <summary>
/// Everything remembered about one message: whether its recipients were counted as sent, which
/// counters each recipient has already moved (so duplicates never count twice), and events that
/// arrived before the message's send attempt.
/// </summary>
public sealed class MessageLedger
{
    public required string MessageId { get; set; }
    public required string AccountId { get; set; }
    public bool SentCounted { get; set; }
    public bool AttemptSeen { get; set; }
    public long SentAtMs { get; set; }
    public long LastEventMs { get; set; }

    /// <summary>Event time and wall time when the first early event was buffered; 0 when nothing waits.</summary>
    public long PendingSinceMs { get; set; }
    public long PendingSinceWallMs { get; set; }
    public List<NormalizedEvent>? Pending { get; set; }

    public List<RecipientState> Recipients { get; set; } = [];

    public string? Tenant { get; set; }
    public string? ConfigurationSet { get; set; }
    public string? SendingPool { get; set; }
    public string? SendingIp { get; set; }
    public string? FromDomain { get; set; }
    public string? CallerIdentity { get; set; }
    public string? CallerIp { get; set; }

    public bool HasPending => Pending is { Count: > 0 };

    public RecipientState? Find(string normalizedEmail)
    {
        foreach (var r in Recipients)
            if (r.Email == normalizedEmail) return r;
        return null;
    }
}

public sealed class RecipientState
{
    public required string Email { get; set; }
    public int Provider { get; set; }

    /// <summary>Bits of <see cref="Counters.Flag"/>: the counters this recipient has already moved.</summary>
    public int Flags { get; set; }

    /// <summary>True for the SES mailbox simulator, which never moves a rate.</summary>
    public bool Simulator { get; set; }

    /// <summary>True when the recipient was counted in <c>sent</c> (it was a destination of the message).</summary>
    public bool CountedSent { get; set; }

    /// <summary>Each counter this recipient moved and when: <c>eventTimeMs &lt;&lt; 4 | counter</c>. Lets a later
    /// provider refinement move every count exactly, whatever order the events came in.</summary>
    public List<long>? Moves { get; set; }
}
