using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Tests;

public sealed class ClassificationTests
{
    private readonly SmtpResponseClassifier _classifier = SmtpResponseClassifier.Default;
    private readonly ProviderDirectory _providers = ProviderDirectory.Default;

    [Theory]
    [InlineData("421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address. - gsmtp", "throttled", "gmail-4.7.28-rate")]
    [InlineData("550-5.1.1 The email account that you tried to reach does not exist. - gsmtp", "invalid_recipient", "unknown-recipient")]
    [InlineData("550-5.7.26 This mail has been blocked because the sender is unauthenticated. - gsmtp", "auth_failure", "unauthenticated")]
    [InlineData("421 4.7.0 [TSS04] Messages from 192.0.2.44 temporarily deferred due to unexpected volume or user complaints", "throttled", "yahoo-tss04-deferred")]
    [InlineData("553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.44, because the ip is in Spamhaus's list", "blocklisted", "yahoo-bl2x-spamhaus")]
    [InlineData("550 5.7.1 Unfortunately, messages from [192.0.2.44] weren't sent. (S3150)", "blocklisted", "microsoft-s3150-blocklist")]
    [InlineData("451 4.7.650 The mail server [192.0.2.44] has been temporarily rate limited due to IP reputation. (S775)", "throttled", "microsoft-4.7.650-rate")]
    [InlineData("550 5.7.515 Access denied, sending domain [ACME.EXAMPLE] doesn't meet the required authentication level.", "auth_failure", "microsoft-5.7.515-auth")]
    [InlineData("554 5.7.1 [HCM1] Message rejected due to local policy", "reputation_block", "apple-hcm1-reputation")]
    [InlineData("550 5.7.1 [HME1] Message rejected due to local policy", "auth_failure", "apple-hme1-auth")]
    [InlineData("554 Message not allowed - [PH01] Email not accepted for policy reasons", "policy", "yahoo-ph01-policy")]
    [InlineData("554 192.0.2.44 found on one or more DNSBLs, see http://postmaster.comcast.net (BL000001)", "blocklisted", "comcast-bl-blocklist")]
    [InlineData("452-4.2.2 The recipient's inbox is out of storage space.", "mailbox_full", "mailbox-full")]
    [InlineData("250 2.0.0 OK queued", "delivered", "delivered")]
    [InlineData("550 5.1.2", "bad_domain", "rfc3463:5.1.2")]
    [InlineData("421 4.4.2", "connection", "rfc3463:4.4.*")]
    [InlineData("554 transaction failed", "unknown", "reply:5xx")]
    [InlineData("Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)", "bad_domain", "domain-not-found")]
    public void Known_responses_land_in_their_class(string response, string expectedClass, string ruleId)
    {
        var c = _classifier.Classify(response);
        Assert.Equal(expectedClass, c.Class);
        Assert.Equal(ruleId, c.RuleId);
        Assert.False(string.IsNullOrWhiteSpace(c.Explanation));
        Assert.False(string.IsNullOrWhiteSpace(c.Source), $"rule {c.RuleId} names no source");
    }

    [Theory]
    // A provider's code wins over the wording around it: Gmail's 4.7.28 says "unsolicited" (reputation wording) but rate-limits.
    [InlineData("421-4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating from your IP address.", PrecedenceSteps.ProviderCode, "throttled")]
    // Authentication wording wins over the rate wording and the enhanced code's class: a rate limit *because* of SPF.
    [InlineData("421-4.7.27 This mail has been rate limited because SPF did not pass. - gsmtp", PrecedenceSteps.Authentication, "auth_failure")]
    // Wording wins over the enhanced status code: 5.1.1 (bad mailbox) said of a full mailbox.
    [InlineData("552 sorry, mailbox kim@example.org is over quota temporarily (#5.1.1)", PrecedenceSteps.Wording, "mailbox_full")]
    // With nothing else, the enhanced status code's class and subject decide, then the basic code.
    [InlineData("550 5.2.2 see you", PrecedenceSteps.EnhancedStatus, "mailbox_full")]
    [InlineData("451 see you", PrecedenceSteps.ReplyCode, "transient")]
    public void Precedence_is_a_providers_code_then_authentication_then_wording_then_the_status_code_then_the_reply_code(
        string response, string step, string expectedClass)
    {
        var c = _classifier.Classify(response);
        Assert.Equal((step, expectedClass), (c.Step, c.Class));
    }

    [Theory]
    [InlineData("421-4.7.28 [192.0.2.44] Our system has detected an unusual rate of unsolicited mail originating from your IP address. - gsmtp", "ip", "192.0.2.44")]
    [InlineData("421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP Netblock [192.0.2.0/24 12]. - gsmtp", "netblock", "192.0.2.0/24")]
    [InlineData("421-4.7.28 Gmail has detected an unusual rate of mail originating from your DKIM domain [acme.example 12]. - gsmtp", "domain", "acme.example")]
    [InlineData("421-4.7.28 Gmail has detected an unusual rate of mail originating from your SPF domain [bounces.acme.example 12]. - gsmtp", "domain", "bounces.acme.example")]
    [InlineData("421 4.7.0 [TSS04] Messages from 192.0.2.44 temporarily deferred due to unexpected volume or user complaints", "ip", "192.0.2.44")]
    [InlineData("421 4.7.0 [TSS09] All messages from 192.0.2.45 will be permanently deferred; Retrying will NOT succeed.", "ip", "192.0.2.45")]
    [InlineData("550 5.7.1 Unfortunately, messages from [192.0.2.44] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140).", "netblock", "192.0.2.44")]
    [InlineData("550 5.7.1 Unfortunately, messages from [192.0.2.44] weren't sent. Please contact your Internet service provider. (S3150)", "ip", "192.0.2.44")]
    [InlineData("550 5.7.1 Your email was rejected due to having a domain present in the Spamhaus DBL -- see https://www.spamhaus.org/dbl/", "url", null)]
    [InlineData("550 5.7.515 Access denied, sending domain [ACME.EXAMPLE] doesn't meet the required authentication level.", "domain", "acme.example")]
    [InlineData("550 5.1.1 user unknown", null, null)]
    public void A_block_says_what_it_limits_and_names_the_ip_network_or_domain(string response, string? scope, string? entity)
    {
        var c = _classifier.Classify(response);
        Assert.Equal((scope, entity), (c.Scope, c.Entity));
    }

    [Fact]
    public void Every_rule_cites_a_source_and_the_rules_are_tried_step_by_step()
    {
        var rules = _classifier.Rules;
        Assert.True(rules.Count >= 60, $"only {rules.Count} rules");
        Assert.All(rules, r => Assert.StartsWith("http", r.Source));
        var ranks = rules.Select(r => PrecedenceSteps.Rank(r.Step)).ToList();
        Assert.Equal(ranks.Order(), ranks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("the server said something nobody understands")]
    public void Unknown_text_is_unknown_never_an_exception(string? response) =>
        Assert.Equal(SmtpClasses.Unknown, _classifier.Classify(response).Class);

    [Theory]
    [InlineData("gmail.com", Providers.Gmail)]
    [InlineData("googlemail.com", Providers.Gmail)]
    [InlineData("outlook.com", Providers.Microsoft)]
    [InlineData("hotmail.co.uk", Providers.Microsoft)]
    [InlineData("live.fr", Providers.Microsoft)]
    [InlineData("msn.com", Providers.Microsoft)]
    [InlineData("yahoo.com", Providers.Yahoo)]
    [InlineData("yahoo.com.br", Providers.Yahoo)]
    [InlineData("ymail.com", Providers.Yahoo)]
    [InlineData("aol.com", Providers.Yahoo)]
    [InlineData("yahoo.co.jp", Providers.Other)]
    [InlineData("icloud.com", Providers.Apple)]
    [InlineData("me.com", Providers.Apple)]
    [InlineData("comcast.net", Providers.Comcast)]
    [InlineData("live.acme.com", Providers.Other)]
    [InlineData("example.org", Providers.Other)]
    public void Provider_from_recipient_domain(string domain, int provider) => Assert.Equal(provider, _providers.FromDomain(domain));

    [Theory]
    [InlineData("250 2.0.0 OK 1763630103 a1b2c3 - gsmtp", Providers.Gmail)]
    [InlineData("mx.acme-corp.mail.protection.outlook.com", Providers.Microsoft)]
    [InlineData("mta7.am0.yahoodns.net", Providers.Yahoo)]
    [InlineData("250 ok dirdel", null)]
    public void Provider_from_smtp_signatures(string text, int? provider) => Assert.Equal(provider, _providers.FromSignature(text));

    [Fact]
    public void A_rules_file_with_an_unknown_class_is_refused_at_load()
    {
        var e = Assert.Throws<InvalidDataException>(() => SmtpResponseClassifier.FromJson(
            """{"rules":[{"id":"x","step":"wording","pattern":"y","class":"nonsense","explanation":"z","source":"https://example.org"}]}"""));
        Assert.Contains("nonsense", e.Message);
    }

    [Theory]
    [InlineData("""{"rules":[{"id":"x","step":"whenever","pattern":"y","class":"policy","explanation":"z","source":"https://example.org"}]}""", "unknown step")]
    [InlineData("""{"rules":[{"id":"x","step":"wording","pattern":"y","class":"policy","explanation":"z","source":"my-memory"}]}""", "names no known source")]
    [InlineData("""{"rules":[{"id":"x","step":"wording","pattern":"y","class":"policy","scope":"planet","explanation":"z","source":"https://example.org"}]}""", "unknown scope")]
    public void A_rule_without_a_step_a_source_or_a_known_scope_is_refused_at_load(string json, string message) =>
        Assert.Contains(message, Assert.Throws<InvalidDataException>(() => SmtpResponseClassifier.FromJson(json)).Message);
}
