using System.Buffers;

namespace ReputationMonitor.Backtesting;

/// <summary>
/// Reads a JSON-lines file as byte lines, without a string per line (an archive of a million SES events is over a
/// gigabyte): a growing buffer, lines handed out as spans valid until the next one. Reports how far it has read.
/// </summary>
public sealed class JsonLinesFile(Stream stream, int maxLineBytes) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    private int _start, _end;
    private bool _eof;

    /// <summary>Bytes consumed so far (the progress bar's numerator).</summary>
    public long Consumed { get; private set; }

    /// <summary>Lines longer than <c>maxLineBytes</c>: skipped, counted.</summary>
    public long Oversized { get; private set; }

    public delegate void LineAction(ReadOnlySpan<byte> line);

    /// <summary>Calls <paramref name="action"/> for every non-blank line, in order.</summary>
    public void ForEachLine(LineAction action)
    {
        var skipping = false;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline < 0)
            {
                if (_eof)
                {
                    if (_end > _start && !skipping) Emit(_buffer.AsSpan(_start, _end - _start), action);
                    Consumed += _end - _start;
                    _start = _end;
                    return;
                }
                if (_end - _start > maxLineBytes)
                {
                    // A line longer than any record may be: drop what is buffered and the rest of the line.
                    if (!skipping) Oversized++;
                    skipping = true;
                    Consumed += _end - _start;
                    _start = _end = 0;
                }
                Fill();
                continue;
            }
            if (!skipping) Emit(_buffer.AsSpan(_start, newline - _start), action);
            skipping = false;
            Consumed += newline + 1 - _start;
            _start = newline + 1;
        }
    }

    private static void Emit(ReadOnlySpan<byte> line, LineAction action)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        if (line.Trim((byte)' ').IsEmpty) return;
        action(line);
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        stream.Dispose();
    }
}
