using ReputationMonitor.Core.Join;

namespace ReputationMonitor.Core.Aggregation;

/// <summary>
/// Attributes each counter move to the account and to every dimension the message has: configuration
/// set, tenant, sending domain, pool, IP (each split by provider, which gives the crossings). Dimension
/// entities per account are bounded: beyond the limit the oldest is dropped.
/// </summary>
public sealed class AccountAttribution(
    WindowedCounters counters, AccountAggregate account,
    Func<string, EntityWindows> dimension, Action<string> changed, Action<string> evicted,
    Func<string, bool>? isSuppressed = null, Action<MessageLedger, string, string, long>? suppress = null,
    Action<int, int, int>? counted = null, Action? late = null) : ICounterSink
{
    public AccountAggregate Account => account;

    public void Add(MessageLedger m, int provider, int counter, long timestampMs, int amount = 1, string? responseRule = null)
    {
        if (counters.Add(account.Windows, provider, counter, timestampMs, amount, responseRule)) counted?.Invoke(provider, counter, amount);
        else late?.Invoke(); // older than the long window: no window changes (the dimensions refuse it the same way)
        AddTo(Dimensions.ConfigurationSet, m.ConfigurationSet, provider, counter, timestampMs, amount, responseRule);
        AddTo(Dimensions.Tenant, m.Tenant, provider, counter, timestampMs, amount, responseRule);
        AddTo(Dimensions.Domain, m.FromDomain, provider, counter, timestampMs, amount, responseRule);
        AddTo(Dimensions.Pool, m.SendingPool, provider, counter, timestampMs, amount, responseRule);
        AddTo(Dimensions.Ip, m.SendingIp, provider, counter, timestampMs, amount, responseRule);
        AddTo(Dimensions.Caller, Dimensions.CallerValue(m.CallerIdentity, m.CallerIp), provider, counter, timestampMs, amount, responseRule);
    }

    public void Sample(EvidenceSample sample) => counters.AddSample(account, sample);

    public bool IsSuppressed(string email) => isSuppressed?.Invoke(email) ?? false;

    public void Suppress(MessageLedger message, string email, string reason, long timestampMs) =>
        suppress?.Invoke(message, email, reason, timestampMs);

    private void AddTo(string kind, string? value, int provider, int counter, long ts, int amount, string? rule)
    {
        if (string.IsNullOrEmpty(value)) return;
        var key = Dimensions.Key(kind, value);
        if (!account.Dimensions.Contains(key))
        {
            account.Dimensions.Add(key);
            if (account.Dimensions.Count > counters.Options.MaxDimensionsPerAccount)
            {
                evicted(account.Dimensions[0]);
                account.Dimensions.RemoveAt(0);
            }
        }
        counters.Add(dimension(key), provider, counter, ts, amount, rule);
        changed(key);
    }
}
