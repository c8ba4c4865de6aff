using System.Globalization;
using System.Text.Json.Nodes;

namespace ReputationMonitor.Simulation;

/// <summary>One record to produce: to the send-attempts topic or to the SES events topic.</summary>
public readonly record struct SimulatedRecord(bool IsAttempt, string MessageId, string Json);

/// <summary>
/// Deterministic synthetic traffic: the same seed, start and scenario give the same records. Time is virtual —
/// message n is sent at <c>start + n / messagesPerSecond</c> — so a run is reproducible and its event times match
/// the rate it is produced at. Each message is one send attempt plus its SES events (Send, then Delivery,
/// Bounce, Complaint or DeliveryDelay, a second or two later).
/// </summary>
public sealed class TrafficSimulator
{
    private static readonly (string Domain, double Share)[] Providers =
        [("gmail.com", 0.40), ("outlook.com", 0.25), ("yahoo.com", 0.15), ("icloud.com", 0.08), ("comcast.net", 0.02), ("example.org", 0.10)];

    private static readonly string[] SimulatorMailboxes = ["success", "bounce", "complaint", "suppressionlist", "ooto"];

    private readonly SimulationScenario _scenario;
    private readonly Random _random;
    private readonly int _seed;
    private readonly int _accounts;
    private readonly DateTimeOffset _start;
    private readonly double _messagesPerSecond;
    private readonly TimeSpan _duration;
    private readonly (string Domain, double Share)[] _providers;
    private long _message;
    private readonly long[] _sentBy;

    private const long HealthyMessagesPerComplaint = 20_000;

    /// <param name="providers">How many of the recipient providers the traffic spreads over (0: all six, in their shares).</param>
    public TrafficSimulator(SimulationScenario scenario, int seed, int accounts, DateTimeOffset start, double messagesPerSecond, TimeSpan duration,
        int providers = 0)
    {
        var chosen = providers is > 0 and < 6 ? Providers[..providers] : Providers;
        var sum = chosen.Sum(p => p.Share);
        _providers = [.. chosen.Select(p => (p.Domain, p.Share / sum))];
        _scenario = scenario;
        _seed = seed;
        _random = new Random(seed);
        _accounts = Math.Max(1, accounts);
        _sentBy = new long[_accounts];
        _start = start;
        _messagesPerSecond = messagesPerSecond;
        _duration = duration;
    }

    public static string AccountId(int index) => (100000000001L + index).ToString(CultureInfo.InvariantCulture);

    /// <summary>The subject of the scenario: account 1 of the run.</summary>
    public static string Subject => AccountId(0);

    /// <summary>The next message's records (attempt first), and its virtual send time.</summary>
    public (DateTimeOffset SentAt, List<SimulatedRecord> Records) Next()
    {
        var n = _message++;
        var sentAt = _start + TimeSpan.FromSeconds(n / _messagesPerSecond);
        var progress = Math.Clamp((sentAt - _start) / _duration, 0, 1);
        var account = PickAccount(progress);
        var subject = account == 0;
        var messageId = $"sim-{_seed}-{n:D9}";
        var (recipient, provider) = PickRecipient(subject);
        var compromised = subject && _scenario == SimulationScenario.CompromisedCredentials && progress > 1 / 3.0;
        var ip = subject && _scenario == SimulationScenario.BlocklistedIp ? "198.51.100.66" : $"192.0.2.{10 + account % 200}";
        var sender = new Sender(AccountId(account), $"news@mail.acct{account + 1}.example.com", account % 3 == 2 ? "transactional" : "marketing",
            $"tenant-{account % 2 + 1}", "shared-1", ip, compromised ? "leaked-key" : "app-server", compromised ? "203.0.113.99" : $"10.0.{account % 250}.5");

        var records = new List<SimulatedRecord> { new(true, messageId, Attempt(messageId, sender, recipient, sentAt)) };
        var mail = Mail(messageId, sender, recipient, sentAt);
        records.Add(new(false, messageId, Event("Send", mail, "send", new JsonObject())));
        var at = sentAt.AddSeconds(1 + _random.NextDouble());
        var sent = ++_sentBy[account];
        records.Add(new(false, messageId, Outcome(mail, recipient, provider, subject, progress, compromised, at, sent)));
        return (sentAt, records);
    }

    private int PickAccount(double progress)
    {
        var others = _accounts - 1;
        // The subject's share of the traffic: one account among the others, except where the scenario changes it.
        var subjectShare = _accounts == 1 ? 1.0 : 1.0 / _accounts;
        if (_scenario == SimulationScenario.CompromisedCredentials && progress > 1 / 3.0) subjectShare = Math.Min(0.9, subjectShare * 10);
        if (_scenario == SimulationScenario.NewSender) subjectShare = progress < 0.2 ? 0 : subjectShare * Math.Min(1, (progress - 0.2) / 0.4);
        if (others == 0 || _random.NextDouble() < subjectShare) return 0;
        return 1 + _random.Next(others);
    }

    private (string Recipient, string Domain) PickRecipient(bool subject)
    {
        if (subject && _scenario == SimulationScenario.MailboxSimulator)
        {
            var box = SimulatorMailboxes[_random.Next(SimulatorMailboxes.Length)];
            return ($"{box}@simulator.amazonses.com", "simulator.amazonses.com");
        }
        var pick = _random.NextDouble();
        foreach (var (domain, share) in _providers)
        {
            if (pick < share) return ($"u{_random.Next(1_000_000)}@{domain}", domain);
            pick -= share;
        }
        return ($"u{_random.Next(1_000_000)}@example.org", "example.org");
    }

    private string Outcome(JsonObject mail, string recipient, string domain, bool subject, double progress, bool compromised, DateTimeOffset at,
        long sentByAccount)
    {
        var roll = _random.NextDouble();
        if (domain == "simulator.amazonses.com")
            return recipient.Split('@')[0] switch
            {
                "bounce" => Bounce(mail, recipient, at, "Permanent", "General", "smtp; 550 5.1.1 user unknown"),
                "complaint" => Complaint(mail, recipient, at),
                "suppressionlist" => Bounce(mail, recipient, at, "Permanent", "OnAccountSuppressionList",
                    "Amazon SES did not send the message to this address because it is on the suppression list for your account."),
                _ => Delivery(mail, recipient, at),
            };
        if (subject && _scenario == SimulationScenario.ListUpload && roll < 0.12) return HardBounce(mail, recipient, domain, at);
        // A new sender's first list: every 25th address bounces (4 %, steadily — under the SES review line, over the
        // new-sender watch's), and no other bounce.
        if (subject && _scenario == SimulationScenario.NewSender)
            return sentByAccount % 25 == 0 ? HardBounce(mail, recipient, domain, at) : Delivery(mail, recipient, at);
        if (subject && _scenario == SimulationScenario.ComplaintSpike && roll < 0.007) return Complaint(mail, recipient, at);
        if (compromised && roll < 0.01) return Complaint(mail, recipient, at);
        // Every 20th of the subject's messages (5 %, steadily: a review, never a pause by chance).
        if (subject && _scenario == SimulationScenario.BlocklistedIp && sentByAccount % 20 == 0)
            return Bounce(mail, recipient, at, "Permanent", "General",
                $"smtp; 554 5.7.1 Service unavailable; Client host [198.51.100.66] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/198.51.100.66");
        if (_scenario == SimulationScenario.GmailThrottling && domain == "gmail.com")
        {
            if (progress < 0.5 && roll < 0.30)
                return Delay(mail, recipient, at, "smtp; 421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited.");
            if (progress >= 0.5 && roll < 0.20)
                return Bounce(mail, recipient, at, "Permanent", "General",
                    "smtp; 550-5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked.");
        }
        // The healthy mix.
        if (roll < 0.010) return HardBounce(mail, recipient, domain, at);
        if (roll < 0.015) return Bounce(mail, recipient, at, "Transient", "MailboxFull", "smtp; 452 4.2.2 The email account that you tried to reach is over quota.");
        // A healthy sender's 0.005 % complaints: one in every 20,000 messages, never by chance early in an account's life,
        // where one complaint in its first 1,000 recipients would read as 0.1 % and open a review.
        if (sentByAccount % HealthyMessagesPerComplaint == 0) return Complaint(mail, recipient, at);
        if (roll < 0.025) return Delay(mail, recipient, at, "smtp; 451 4.3.0 Temporary server error. Please try again later.");
        return Delivery(mail, recipient, at);
    }

    private static string HardBounce(JsonObject mail, string recipient, string domain, DateTimeOffset at) =>
        Bounce(mail, recipient, at, "Permanent", "General", domain switch
        {
            "gmail.com" => "smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos.",
            "outlook.com" => "smtp; 550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302).",
            "yahoo.com" => "smtp; 554 delivery error: dd This user doesn't have a yahoo.com account - [87]",
            _ => "smtp; 550 5.1.1 <recipient>... User unknown",
        });

    private sealed record Sender(string Account, string From, string ConfigurationSet, string Tenant, string Pool, string Ip, string Caller, string CallerIp);

    private static string Attempt(string messageId, Sender s, string recipient, DateTimeOffset at) => new JsonObject
    {
        ["messageId"] = messageId,
        ["attemptId"] = "att-" + messageId,
        ["timestamp"] = Iso(at),
        ["accountId"] = s.Account,
        ["tenant"] = s.Tenant,
        ["source"] = s.From,
        ["configurationSet"] = s.ConfigurationSet,
        ["sendingPool"] = s.Pool,
        ["sendingIp"] = s.Ip,
        ["callerIdentity"] = s.Caller,
        ["callerIp"] = s.CallerIp,
        ["destinations"] = new JsonArray(recipient),
        ["outcome"] = "accepted",
        ["headers"] = new JsonObject
        {
            ["List-Unsubscribe"] = $"<https://{s.From.Split('@')[1]}/unsubscribe?m={messageId}>", ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
        },
    }.ToJsonString();

    private static JsonObject Mail(string messageId, Sender s, string recipient, DateTimeOffset sentAt) => new()
    {
        ["timestamp"] = Iso(sentAt),
        ["source"] = s.From,
        ["sendingAccountId"] = s.Account,
        ["messageId"] = messageId,
        ["destination"] = new JsonArray(recipient),
        // The tags SES itself adds to every event's mail object: an event that never meets its attempt still names them.
        ["tags"] = new JsonObject
        {
            ["ses:configuration-set"] = new JsonArray(s.ConfigurationSet),
            ["ses:caller-identity"] = new JsonArray(s.Caller),
            ["ses:source-ip"] = new JsonArray(s.CallerIp),
            ["ses:outgoing-ip"] = new JsonArray(s.Ip),
            ["ses:from-domain"] = new JsonArray(s.From[(s.From.IndexOf('@') + 1)..]),
        },
    };

    private static string Event(string type, JsonObject mail, string section, JsonObject body) =>
        new JsonObject { ["eventType"] = type, ["mail"] = mail.DeepClone(), [section] = body }.ToJsonString();

    private static string Delivery(JsonObject mail, string recipient, DateTimeOffset at) => Event("Delivery", mail, "delivery", new JsonObject
    {
        ["timestamp"] = Iso(at), ["recipients"] = new JsonArray(recipient), ["smtpResponse"] = "250 2.0.0 OK",
    });

    private static string Bounce(JsonObject mail, string recipient, DateTimeOffset at, string type, string subType, string diagnostic) =>
        Event("Bounce", mail, "bounce", new JsonObject
        {
            ["bounceType"] = type, ["bounceSubType"] = subType, ["timestamp"] = Iso(at),
            ["feedbackId"] = $"fb-{mail["messageId"]}",
            ["bouncedRecipients"] = new JsonArray(new JsonObject { ["emailAddress"] = recipient, ["diagnosticCode"] = diagnostic }),
        });

    private static string Complaint(JsonObject mail, string recipient, DateTimeOffset at) => Event("Complaint", mail, "complaint", new JsonObject
    {
        ["timestamp"] = Iso(at), ["feedbackId"] = $"fc-{mail["messageId"]}", ["complaintFeedbackType"] = "abuse",
        ["complainedRecipients"] = new JsonArray(new JsonObject { ["emailAddress"] = recipient }),
    });

    private static string Delay(JsonObject mail, string recipient, DateTimeOffset at, string diagnostic) =>
        Event("DeliveryDelay", mail, "deliveryDelay", new JsonObject
        {
            ["timestamp"] = Iso(at), ["delayType"] = "TransientCommunicationFailure",
            ["delayedRecipients"] = new JsonArray(new JsonObject { ["emailAddress"] = recipient, ["diagnosticCode"] = diagnostic }),
        });

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
