using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Batches;

/// <summary>Issue 15 items 9 and 10: staged uploads are private, and a non-image is read no further than one image's limit.</summary>
public sealed class BatchUploadStagingFacts : IDisposable
{
    private const long ImageLimit = 1024 * 1024;

    private readonly string _parent = TestPaths.NewTempFolder();

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    private BatchUploadStaging Staging() => new(new BatchOptions { MaxUploadBytes = 64L * 1024 * 1024 }, ImageLimit, _parent);

    [Fact]
    public async Task AddAsync_StopsReadingANonImage_AtThePerImageLimit()
    {
        using var staging = Staging();
        var endless = new CountingStream(long.MaxValue);

        // Declared size unknown (0), as a client may send: the reading itself must stop.
        await staging.AddAsync("movie.mkv", endless, declaredSize: 0, CancellationToken.None);

        var refused = Assert.Single(staging.Files);
        Assert.Null(refused.Path);
        Assert.Contains("limit per image", refused.Refusal);
        Assert.InRange(endless.BytesRead, ImageLimit, ImageLimit + 128 * 1024);
        Assert.Empty(Directory.GetFiles(staging.Folder));
    }

    [Fact]
    public async Task AddAsync_RefusesAnOversizedNonImage_ByItsDeclaredSize_WithoutStaging()
    {
        using var staging = Staging();
        var content = new CountingStream(30L * 1024 * 1024);

        await staging.AddAsync("big.bin", content, declaredSize: 30L * 1024 * 1024, CancellationToken.None);

        Assert.Contains("limit per image", Assert.Single(staging.Files).Refusal);
        Assert.True(content.BytesRead <= 4);
    }

    [Fact]
    public async Task AddAsync_StagesAnImage_InAPrivateFolderAndFile()
    {
        using var staging = Staging();

        await staging.AddAsync("a.png", new MemoryStream(TestImages.Png()), 0, CancellationToken.None);

        var staged = Assert.Single(staging.Files);
        Assert.NotNull(staged.Path);
        Assert.Equal(TestImages.Png(), File.ReadAllBytes(staged.Path!));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(staging.Folder));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(staged.Path!));
        }
    }

    /// <summary>A stream of zeros of the given length that counts what was read from it.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - BytesRead);
            Array.Clear(buffer, offset, n);
            BytesRead += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
