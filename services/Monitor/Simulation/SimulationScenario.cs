namespace ReputationMonitor.Simulation;

/// <summary>
/// A traffic scenario: what it sends, and the decision it should provoke (printed by <c>monitor simulate</c> and
/// listed in the README). Account 1 of the run is the scenario's subject; the others send healthy mail.
/// </summary>
/// <param name="History">Steady traffic the scenario needs behind it (a baseline), which <c>monitor simulate</c> sends first
/// with event time accelerated: the hours before the run's start, in seconds of wall clock.</param>
public sealed record SimulationScenario(string Name, string Description, string Expected, TimeSpan? History = null)
{
    public static readonly SimulationScenario Steady = new("steady",
        "healthy mail over every provider (≈1 % hard bounces, 0.005 % complaints)", "no decision: every account stays healthy");
    public static readonly SimulationScenario ListUpload = new("list-upload",
        "the subject mails an old purchased list: 12 % hard bounces", "bounce-rate-pause: the subject is paused once 200 recipients are in");
    public static readonly SimulationScenario ComplaintSpike = new("complaint-spike",
        "the subject's recipients report 0.7 % of its mail as spam", "complaint-rate-pause once 1,000 recipients are in (review at 0.1 %)");
    public static readonly SimulationScenario GmailThrottling = new("gmail-throttling",
        "Gmail defers 30 % with 421-4.7.28 (first half), then blocks 20 % with 550-5.7.1 (second half)",
        "provider-throttling, then provider-reputation-block findings for gmail");
    public static readonly SimulationScenario BlocklistedIp = new("blocklisted-ip",
        "the subject's IP is on Spamhaus: 5 % of its mail bounces with blocklist responses from several providers",
        "provider-blocklisting findings for the IP's providers; bounce-rate review of the subject");
    public static readonly SimulationScenario CompromisedCredentials = new("compromised-credentials",
        "after a third of the run the subject's volume jumps 10× from a new caller (leaked key @ 203.0.113.99) with complaints",
        "compromise pause of the subject, the evidence naming the new caller (after 20 h of steady history, sent first)",
        History: TimeSpan.FromHours(20));
    public static readonly SimulationScenario NewSender = new("new-sender",
        "the subject appears after a fifth of the run, ramps its volume up, and 4 % of its first list bounces",
        "new-sender watch finding for the subject (4 % is under the SES review line, over the watch's 3 %); no status change");
    public static readonly SimulationScenario MailboxSimulator = new("mailbox-simulator",
        "the subject sends only to the SES mailbox simulator (success, bounce, complaint, suppressionlist, ooto)",
        "no decision and no rate moves: simulator traffic does not count");

    public static readonly IReadOnlyList<SimulationScenario> All =
        [Steady, ListUpload, ComplaintSpike, GmailThrottling, BlocklistedIp, CompromisedCredentials, NewSender, MailboxSimulator];

    public static SimulationScenario? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
