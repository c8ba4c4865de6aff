using System.Runtime.CompilerServices;

namespace ReputationMonitor.Core.Parsing;

/// <summary>
/// The domain of a sending address (<see cref="EmailAddress.Domain"/>), remembered for the address instance: the readers
/// share one instance of each source (<see cref="Utf8StringCache"/>), so a sender's next record finds its domain by
/// reference instead of cutting it out again — which would be an allocation per record. Direct-mapped, one per
/// thread; an entry holds its address, so a reference match is always that same text.
/// </summary>
internal static class SourceDomains
{
    private const int Slots = 1024;

    private struct Entry
    {
        public string? Source, Domain;
    }

    [ThreadStatic] private static Entry[]? _entries;

    public static string? Of(string? source)
    {
        if (source is null) return null;
        ref var entry = ref (_entries ??= new Entry[Slots])[RuntimeHelpers.GetHashCode(source) & (Slots - 1)];
        if (ReferenceEquals(entry.Source, source)) return entry.Domain;
        var domain = EmailAddress.Domain(source);
        entry = new Entry { Source = source, Domain = domain };
        return domain;
    }
}
