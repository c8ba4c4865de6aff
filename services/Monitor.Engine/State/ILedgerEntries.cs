namespace ReputationMonitor.Engine.State;

/// <summary>
/// Entries that hold ledgers by their 128-bit key (<see cref="ChangeloggedEntries"/>): the engine reads and writes a
/// ledger by the number, and the key's text (<c>m/</c> + base64url) is made only for the changelog. Through the string
/// API each record's ledger would cost four key strings, two encodings and two decodings. A ledger put
/// one way reads back the other.
/// </summary>
public interface ILedgerEntries
{
    byte[]? GetLedger(UInt128 hash);
    void PutLedger(UInt128 hash, byte[] value);
    void DeleteLedger(UInt128 hash);
}
