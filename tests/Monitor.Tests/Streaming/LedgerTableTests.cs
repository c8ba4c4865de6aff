using ReputationMonitor.Engine.State;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>The ledger table against a dictionary as the model, through growth, shrinking and deletions that shift entries back.</summary>
public sealed class LedgerTableTests
{
    [Theory]
    [InlineData(1, 50)]      // a handful of keys: long probe runs in a small table
    [InlineData(2, 5_000)]   // grows to thousands, then mostly empties again
    [InlineData(3, 40_000)]
    public void Behaves_as_a_dictionary_under_random_puts_and_removes(int seed, int keys)
    {
        var random = new Random(seed);
        var pool = Enumerable.Range(0, keys).Select(_ => new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64())).ToArray();
        // Keys that differ only in their high half, or only in their low half, must not be taken for each other.
        pool[0] = new UInt128(1, 7);
        pool[1] = new UInt128(2, 7);
        if (keys > 2) pool[2] = new UInt128(1, 8);
        var table = new LedgerTable();
        var model = new Dictionary<UInt128, byte[]>();
        for (var op = 0; op < keys * 20; op++)
        {
            var key = pool[random.Next(keys)];
            // First a phase that mostly adds, then one that mostly removes (the table shrinks).
            var removing = op > keys * 10 ? random.Next(10) < 7 : random.Next(10) < 3;
            if (removing) Assert.Equal(model.Remove(key), table.Remove(key));
            else
            {
                var value = BitConverter.GetBytes(op);
                model[key] = value;
                table.Set(key, value);
            }
            if (op % (keys * 2) == 0 || op == keys * 20 - 1)
            {
                Assert.Equal(model.Count, table.Count);
                foreach (var k in pool) Assert.Same(model.GetValueOrDefault(k), table.Get(k));
                Assert.Equal(model.OrderBy(e => e.Key).Select(e => (e.Key, e.Value)), table.Entries().OrderBy(e => e.Key));
            }
        }
    }
}
