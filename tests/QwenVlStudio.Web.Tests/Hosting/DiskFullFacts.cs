using System.Net;
using QwenVlStudio.Web.Hosting;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Hosting;

/// <summary>Issue 15 item 6: full-disk errors are recognized, and /readyz and a gauge report a disk running out of space.</summary>
public sealed class DiskFullFacts
{
    [Fact]
    public void Is_RecognizesNoSpaceLeft_InTheErrorOrAnythingItWraps()
    {
        Assert.True(DiskFull.Is(new IOException("No space left on device : '/data/x-log.db'")));
        Assert.True(DiskFull.Is(new InvalidOperationException("write failed", new IOException("x", 28))));
        Assert.False(DiskFull.Is(new IOException("Permission denied", 13)));
        Assert.False(DiskFull.Is(null));
    }

    [Fact]
    public async Task Readyz_Answers503NamingTheDisk_WhenFreeSpaceIsUnderTheMinimum()
    {
        await using var factory = new StudioFactory();
        factory.Settings["Data:MinFreeBytes"] = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await factory.WaitForEngineAsync();
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"disk\"", body);
        Assert.Contains("Data:MinFreeBytes", body);
        Assert.Contains("qwenvl_disk_free_bytes", await client.GetStringAsync("/metrics"));
    }
}
