using ReputationMonitor.Engine.State;

namespace ReputationMonitor.Tests.Streaming;

public sealed class ChangeloggedEntriesTests
{
    private static List<(string Key, byte[]? Value)> Drain(ChangeloggedEntries entries)
    {
        var changes = new List<(string, byte[]?)>();
        entries.DrainChanges((k, v) => changes.Add((k, v)));
        return changes;
    }

    [Fact]
    public void Only_the_last_value_of_each_key_changed_since_the_last_commit_goes_to_the_changelog()
    {
        var entries = new ChangeloggedEntries();
        entries.Put("a/1", [1]);
        entries.Put("a/1", [2]);
        entries.Put("m/x", [3]);
        entries.Delete("m/x");
        entries.Delete("m/never-there");

        var changes = Drain(entries).OrderBy(c => c.Key).ToList();
        Assert.Equal(2, changes.Count);
        Assert.Equal("a/1", changes[0].Key);
        Assert.Equal([2], changes[0].Value);
        Assert.Equal("m/x", changes[1].Key);
        Assert.Null(changes[1].Value); // a tombstone: the deletion reaches the changelog
        Assert.Empty(Drain(entries));
        Assert.Equal([2], entries.Get("a/1"));
        Assert.Null(entries.Get("m/x"));
    }

    [Fact]
    public void Restored_records_are_applied_in_order_and_not_logged_again()
    {
        var entries = new ChangeloggedEntries();
        entries.Restore("a/1", [1]);
        entries.Restore("m/x", [2]);
        entries.Restore("a/1", [3]);
        entries.Restore("m/x", null);

        Assert.Equal([3], entries.Get("a/1"));
        Assert.Null(entries.Get("m/x"));
        Assert.Equal(1, entries.Count);
        Assert.Empty(Drain(entries));
    }

    /// <summary>The engine reads and writes ledgers by their number; the changelog and the string API see the same entry
    /// under its key text, both ways round.</summary>
    [Fact]
    public void A_ledger_put_by_its_number_is_the_entry_of_its_key_text_and_the_other_way_round()
    {
        var bytes = Enumerable.Range(1, 16).Select(i => (byte)(i * 7)).ToArray();
        var hash = System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(bytes);
        var key = "m/" + System.Buffers.Text.Base64Url.EncodeToString(bytes);
        var entries = new ChangeloggedEntries();

        entries.PutLedger(hash, [1]);
        Assert.Equal([1], entries.Get(key));
        var logged = Assert.Single(Drain(entries));
        Assert.Equal(key, logged.Key);
        Assert.Equal([1], logged.Value);
        Assert.Equal(key, Assert.Single(entries.All()).Key);

        entries.Put(key, [2]);
        Assert.Equal([2], entries.GetLedger(hash));
        entries.DeleteLedger(hash);
        Assert.Null(entries.Get(key));
        var tombstone = Assert.Single(Drain(entries));
        Assert.Equal(key, tombstone.Key);
        Assert.Null(tombstone.Value);
        Assert.Equal(0, entries.Count);
    }

    /// <summary>Ledger keys are held as numbers; what comes out (reads, the changelog, <c>All</c>) must be the key put in.</summary>
    [Fact]
    public void Ledger_keys_held_as_numbers_read_log_and_list_exactly_as_written_beside_other_keys()
    {
        var ledger = "m/" + System.Buffers.Text.Base64Url.EncodeToString(Enumerable.Range(1, 16).Select(i => (byte)(i * 13)).ToArray());
        string[] others = ["m/0100018c-legacy-message-id-000000", "m/short", "m/AAAAAAAAAAAAAAAAAAAAAB", "a/123456789012", "d/1/ip/192.0.2.1"];
        Assert.Equal(24, ledger.Length);
        var entries = new ChangeloggedEntries();
        entries.Put(ledger, [1]);
        foreach (var key in others) entries.Put(key, [2]);

        Assert.Equal([1], entries.Get(ledger));
        Assert.All(others, key => Assert.Equal([2], entries.Get(key)));
        Assert.Equal(others.Append(ledger).Order(), entries.All().Select(kv => kv.Key).Order());
        Assert.Equal(others.Append(ledger).Order(), Drain(entries).Select(c => c.Key).Order());

        entries.Delete(ledger);
        Assert.Null(entries.Get(ledger));
        Assert.Equal([(ledger, (byte[]?)null)], Drain(entries));
        entries.Restore(ledger, [3]);
        Assert.Equal([3], entries.Get(ledger));
        Assert.Equal(others.Length + 1, entries.Count);
        Assert.Empty(Drain(entries));
    }
}
