using System.Diagnostics;

namespace ReputationMonitor.EndToEnd;

/// <summary>Peak working set and managed heap while a phase runs (sampled every 100 ms).</summary>
public sealed class MemorySampler : IDisposable
{
    private readonly Timer _timer;
    private long _peakWorkingSet, _peakHeap;

    public MemorySampler() => _timer = new Timer(_ => Sample(), null, 0, 100);

    public long PeakWorkingSet => Interlocked.Read(ref _peakWorkingSet);
    public long PeakHeap => Interlocked.Read(ref _peakHeap);

    private void Sample()
    {
        using var p = Process.GetCurrentProcess();
        InterlockedMax(ref _peakWorkingSet, p.WorkingSet64);
        InterlockedMax(ref _peakHeap, GC.GetTotalMemory(false));
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    /// <summary>The managed heap after a full, compacting collection: what is really held.</summary>
    public static long SettledHeap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(false);
    }

    public static long WorkingSet()
    {
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64;
    }

    public void Dispose() => _timer.Dispose();
}
