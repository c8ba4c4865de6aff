using System.Diagnostics;

namespace ReputationMonitor.Cli;

/// <summary>Progress of long work on standard error: redrawn in place on a terminal a few times a second, a line per tenth
/// otherwise (a log file gets ten lines, not thousands).</summary>
public sealed class ProgressBar(TextWriter writer, long total)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _terminal = ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;
    private TimeSpan _last = TimeSpan.MinValue;
    private int _lastTenth = -1;

    public void Show(long done, string detail, bool force = false)
    {
        var fraction = Math.Clamp((double)done / total, 0, 1);
        if (_terminal)
        {
            if (!force && _clock.Elapsed - _last < TimeSpan.FromMilliseconds(250)) return;
            _last = _clock.Elapsed;
            var filled = (int)(fraction * 30);
            writer.Write($"\r[{new string('#', filled)}{new string('.', 30 - filled)}] {fraction,4:P0}  {detail}  {_clock.Elapsed:mm\\:ss}   ");
            return;
        }
        var tenth = (int)(fraction * 10);
        if (tenth == _lastTenth && !force) return;
        _lastTenth = tenth;
        writer.WriteLine($"{fraction:P0}  {detail}  {_clock.Elapsed:mm\\:ss}");
    }
}
