using System.ComponentModel.DataAnnotations;

namespace ReputationMonitor.Engine;

public sealed class TopicNames
{
    [Required] public string SendAttempts { get; set; } = "email.send-attempts";
    [Required] public string Events { get; set; } = "email.events";
    [Required] public string Actions { get; set; } = "reputation.actions";
    [Required] public string Dlq { get; set; } = "reputation.dlq";
    [Required] public string Suppressions { get; set; } = "reputation.suppressions";
    [Required] public string AccountStats { get; set; } = "reputation.account-stats";
    [Required] public string EntityStats { get; set; } = "reputation.entity-stats";
    [Required] public string Commands { get; set; } = "reputation.commands";
    [Required] public string FeedbackReports { get; set; } = "email.feedback-reports";
    [Required] public string DmarcReports { get; set; } = "email.dmarc-reports";
}
