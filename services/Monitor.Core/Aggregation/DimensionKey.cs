namespace ReputationMonitor.Core.Aggregation;

/// <summary>
/// One dimension of one account: the key of its windows in the stream's state and of its statistics on
/// <c>reputation.entity-stats</c> (<c>account/kind/value</c>), and the entity its decisions name (<c>account/value</c>).
/// Built from its parts, never by splitting text — except a stored key read back (<see cref="Parse"/>), where the account id
/// (checked at the door to hold no <c>/</c>, <see cref="Model.AccountIds"/>) and the kind (a fixed name) make it unambiguous;
/// the value may hold <c>/</c>.
/// </summary>
public readonly record struct DimensionKey(string AccountId, string Kind, string Value)
{
    /// <summary><c>kind/value</c>, as <see cref="AccountAggregate.Dimensions"/> lists it.</summary>
    public string Dimension => Dimensions.Key(Kind, Value);

    /// <summary>The entity a decision about this dimension names.</summary>
    public string Entity => $"{AccountId}/{Value}";

    /// <summary>The status scope of the dimension (configuration sets, tenants), or null.</summary>
    public string? StatusScope => Dimensions.StatusScope(Kind);

    public override string ToString() => $"{AccountId}/{Kind}/{Value}";

    /// <param name="dimension"><c>kind/value</c></param>
    public static DimensionKey Of(string accountId, string dimension)
    {
        var (kind, value) = Dimensions.Parse(dimension);
        return new DimensionKey(accountId, kind, value);
    }

    /// <summary>A key written by <see cref="ToString"/>.</summary>
    public static DimensionKey Parse(string key)
    {
        var slash = key.IndexOf('/');
        return Of(key[..slash], key[(slash + 1)..]);
    }
}
