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
                throw new TimeoutException($"gave up after {deadline.TotalSeconds:0} s waiting for {what}; last value: {Show(last)}");
            await Task.Delay(100); // poll interval
        }
    }

    /// <summary>A collection shown by its items (a list's ToString names only its type, which says nothing about why a wait failed).</summary>
    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => s,
        System.Collections.IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Select(Show))}]",
        System.Runtime.CompilerServices.ITuple t => $"({string.Join(", ", Enumerable.Range(0, t.Length).Select(i => Show(t[i])))})",
        _ => value.ToString() ?? "",
    };
}
