using System.IO.Compression;
using QwenVlStudio.Web.Batches.Zip;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Batches;

public sealed class SafeZipReaderFacts
{
    private static readonly ZipLimits Limits = new(MaxEntries: 100, MaxTotalBytes: 64L * 1024 * 1024, MaxEntryBytes: 32L * 1024 * 1024, MaxCompressionRatio: 100);

    private static List<ZipEntryResult> Read(byte[] zip, ZipLimits? limits = null)
    {
        using var stream = new MemoryStream(zip);
        return SafeZipReader.Read(stream, limits ?? Limits).ToList();
    }

    [Fact]
    public void Read_ReturnsEveryImage_WithItsBytesAndName()
    {
        var png = TestImages.Png();
        var jpeg = TestImages.Jpeg();
        var entries = Read(TestZips.Create(("a.png", png), ("photos/b.jpg", jpeg)));

        Assert.Equal(["a.png", "b.jpg"], entries.Select(e => e.FileName));
        Assert.All(entries, e => Assert.Equal(ZipEntryKind.File, e.Kind));
        Assert.Equal(png, entries[0].Bytes);
        Assert.Equal(jpeg, entries[1].Bytes);
    }

    [Fact]
    public void Read_RefusesTheEntry_WhenItIsAZipBomb()
    {
        var bomb = TestZips.Bomb(20);
        Assert.True(bomb.Length < 200_000, $"the test bomb is {bomb.Length} bytes");

        var entry = Assert.Single(Read(bomb));

        Assert.Equal(ZipEntryKind.Refused, entry.Kind);
        Assert.Null(entry.Bytes);
        Assert.Contains("zip bomb", entry.Reason);
        Assert.Contains(":1", entry.Reason);
    }

    [Fact]
    public void Read_RefusesTheArchive_WhenItUnpacksToMoreThanTheTotalLimit()
    {
        var zip = TestZips.Create(CompressionLevel.NoCompression, ("a.png", new byte[600_000]), ("b.png", new byte[600_000]));
        var small = Limits with { MaxTotalBytes = 1_000_000 };

        var refused = Assert.Throws<ArchiveRefusedException>(() => Read(zip, small));

        Assert.Contains("unpacks to", refused.Message);
        Assert.Contains("limit", refused.Message);
    }

    [Fact]
    public void Read_RefusesTheEntry_WhenItIsLargerThanThePerFileLimit()
    {
        var zip = TestZips.Create(CompressionLevel.NoCompression, ("big.png", new byte[300_000]), ("ok.png", TestImages.Png()));

        var entries = Read(zip, Limits with { MaxEntryBytes = 200_000 });

        Assert.Equal(ZipEntryKind.Refused, entries[0].Kind);
        Assert.Contains("limit per file", entries[0].Reason);
        Assert.Equal(ZipEntryKind.File, entries[1].Kind);
    }

    [Fact]
    public void Read_RefusesTheArchive_WhenItHasTooManyEntries_BeforeReadingAny()
    {
        var entries = Enumerable.Range(0, 12).Select(i => ($"{i}.png", new byte[] { 1 })).ToArray();
        var zip = TestZips.Create(entries);

        var refused = Assert.Throws<ArchiveRefusedException>(() => Read(zip, Limits with { MaxEntries = 10 }));

        Assert.Contains("12 entries", refused.Message);
        Assert.Contains("10", refused.Message);
    }

    [Fact]
    public void Read_KeepsOnlyTheLastSegmentOfAPath_WhenTheEntryTriesToEscape()
    {
        var png = TestImages.Png();
        var zip = TestZips.Create(("../../../etc/evil.png", png), ("/absolute/root.png", png), ("..\\..\\windows\\win.png", png), ("../", []));

        var entries = Read(zip);

        Assert.Equal(["evil.png", "root.png", "win.png"], entries.Select(e => e.FileName));
        Assert.All(entries, e => Assert.DoesNotContain("..", e.FileName));
        Assert.All(entries, e => Assert.Equal(png, e.Bytes));
    }

    [Fact]
    public void Read_SkipsNestedArchivesAndSystemMetadata_AndDirectories()
    {
        var inner = TestZips.Create(("inside.png", TestImages.Png()));
        var zip = TestZips.Create(
            ("folder/", []),
            ("inner.zip", inner),
            ("more.tar.gz", [1, 2, 3]),
            ("__MACOSX/._photo.png", [0, 0]),
            ("photo.png", TestImages.Png()));

        var entries = Read(zip);

        Assert.Equal(ZipEntryKind.File, entries.Single(e => e.FileName == "photo.png").Kind);
        Assert.Equal(ZipEntryKind.Skipped, entries.Single(e => e.FileName == "inner.zip").Kind);
        Assert.Contains("archives inside the archive are ignored", entries.Single(e => e.FileName == "inner.zip").Reason);
        Assert.Equal(ZipEntryKind.Skipped, entries.Single(e => e.FileName == "more.tar.gz").Kind);
        Assert.Equal(ZipEntryKind.Skipped, entries.Single(e => e.FileName == "._photo.png").Kind);
        Assert.DoesNotContain(entries, e => e.FileName == "inside.png");
        Assert.Equal(4, entries.Count);
    }

    [Fact]
    public void Read_RefusesTheArchive_WhenItIsNotAZip()
    {
        var refused = Assert.Throws<ArchiveRefusedException>(() => Read(TestImages.Png()));
        Assert.Contains("not a zip", refused.Message);
    }

    [Fact]
    public void Read_CleansControlAndDirectionCharacters_FromNames()
    {
        var zip = TestZips.Create(("bad\u202Egnp.exe\u0007.png", TestImages.Png()), ("   ", TestImages.Png()));

        var entries = Read(zip);

        Assert.Equal("badgnp.exe.png", entries[0].FileName);
        Assert.Equal("file 2", entries[1].FileName);
    }

    [Fact]
    public void CountEntries_ReadsTheDirectoryRecord_WithoutParsingTheEntries()
    {
        var zip = TestZips.Create(("a.png", [1]), ("b.png", [2]), ("c/", []));
        using var stream = new MemoryStream(zip);

        Assert.Equal(3, ZipDirectoryProbe.CountEntries(stream));
    }
}
