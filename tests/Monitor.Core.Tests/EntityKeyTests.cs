using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Tests;

public sealed class EntityKeyTests
{
    [Theory]
    [InlineData("111122223333", Dimensions.Caller, "arn:aws:iam::111122223333:user/ops/mailer@198.51.100.7")]
    [InlineData("111122223333", Dimensions.ConfigurationSet, "team/marketing")]
    [InlineData("acme-eu", Dimensions.Domain, "mail.acme.example")]
    public void A_dimension_key_reads_back_its_parts_even_when_the_value_holds_the_separator(string account, string kind, string value)
    {
        var key = new DimensionKey(account, kind, value);
        Assert.Equal(key, DimensionKey.Parse(key.ToString()));
        Assert.Equal($"{account}/{value}", key.Entity);
        Assert.Equal(key, DimensionKey.Of(account, key.Dimension));
    }

    [Theory]
    [InlineData("1111/2222", "'/'")]
    [InlineData("", "empty")]
    [InlineData("1111 2222", "white-space")]
    [InlineData("1111\u00002222", "control")]
    public void An_account_id_that_would_break_the_keys_is_refused_with_the_reason(string accountId, string reason)
    {
        Assert.Contains(reason, AccountIds.Violation(accountId));
        Assert.Contains("longer", AccountIds.Violation(new string('1', AccountIds.MaxLength + 1)));
        Assert.Null(AccountIds.Violation("111122223333"));
    }
}
