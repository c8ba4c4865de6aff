namespace ReputationMonitor.Tests.Support;

/// <summary>Synchronise on a condition, never on a sleep: poll until it holds or the deadline passes.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last)) return last;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"gave up after {deadline.TotalSeconds:0} s waiting for {what}; last value: {last}");
            await Task.Delay(100); // poll interval
        }
    }
}
