namespace QwenVlStudio.Hangfire.LiteDb.Database;

/// <summary>
/// A file stream handed to LiteDB whose <see cref="Flush()"/> can be made a no-op. LiteDB's log writer flushes to
/// the disk (fsync) every time its queue runs empty, which is after almost every page; the storage instead decides
/// itself when the log reaches the disk (<see cref="FlushToDisk"/>), once per group commit or on a timer.
/// </summary>
internal sealed class FileStreamWithFlushPolicy : Stream
{
    private readonly FileStream _inner;
    private readonly bool _flushWhenAsked;

    /// <param name="inner">The open file; this stream owns and disposes it.</param>
    /// <param name="flushWhenAsked">Whether LiteDB's own flush requests reach the disk.</param>
    public FileStreamWithFlushPolicy(FileStream inner, bool flushWhenAsked)
    {
        _inner = inner;
        _flushWhenAsked = flushWhenAsked;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    public override void Flush()
    {
        if (_flushWhenAsked) _inner.Flush(flushToDisk: true);
    }

    /// <summary>Forces written bytes onto the disk (fsync). Safe to call from any thread: it touches no position.</summary>
    public void FlushToDisk() => _inner.Flush(flushToDisk: true);

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
    public override void SetLength(long value) => _inner.SetLength(value);
    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
