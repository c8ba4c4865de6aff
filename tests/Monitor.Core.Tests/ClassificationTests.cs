using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Tests;

public sealed class ClassificationTests
{
    private readonly SmtpResponseClassifier _classifier = SmtpResponseClassifier.Default;
    private readonly ProviderDirectory _providers = ProviderDirectory.Default;

    [Theory]
    [InlineData("421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address. - gsmtp", "throttled", "gmail-4.7.28-rate")]
    [InlineData("550-5.1.1 The email account that you tried to reach does not exist. - gsmtp", "invalid_recipient", "gmail-5.1.1-nouser")]
    [InlineData("550-5.7.26 This mail has been blocked because the sender is unauthenticated. - gsmtp", "auth_failure", "gmail-5.7.26-unauthenticated")]
    [InlineData("421 4.7.0 [TSS04] Messages from 192.0.2.44 temporarily deferred due to unexpected volume or user complaints", "throttled", "yahoo-tss04")]
    [InlineData("553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.44, because the ip is in Spamhaus's list", "blocklisted", "yahoo-bl21")]
    [InlineData("550 5.7.1 Unfortunately, messages from [192.0.2.44] weren't sent. (S3150)", "blocklisted", "ms-s3150")]
    [InlineData("451 4.7.650 The mail server [192.0.2.44] has been temporarily rate limited due to IP reputation. (S775)", "throttled", "ms-s775-4.7.650")]
    [InlineData("554 5.7.1 [HCM1] Message rejected due to local policy", "reputation_block", "apple-hcm1")]
    [InlineData("554 192.0.2.44 found on one or more DNSBLs, see http://postmaster.comcast.net (BL000001)", "blocklisted", "comcast-bl000001")]
    [InlineData("452-4.2.2 The recipient's inbox is out of storage space.", "mailbox_full", "gmail-4.2.2-full")]
    [InlineData("250 2.0.0 OK queued", "delivered", "rfc3463:2.0.0")]
    [InlineData("550 5.1.2 bad destination system address", "bad_domain", "rfc3463:5.1.2")]
    public void Known_responses_land_in_their_class(string response, string expectedClass, string ruleId)
    {
        var c = _classifier.Classify(response);
        Assert.Equal(expectedClass, c.Class);
        Assert.Equal(ruleId, c.RuleId);
        Assert.False(string.IsNullOrWhiteSpace(c.Explanation));
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
            """{"rules":[{"id":"x","pattern":"y","class":"nonsense","explanation":"z"}]}"""));
        Assert.Contains("nonsense", e.Message);
    }
}
