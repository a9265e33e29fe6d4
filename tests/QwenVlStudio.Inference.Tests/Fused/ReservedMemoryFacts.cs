using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>The KV pool's native memory: zero on first touch, and released pages really go back (read as zeros on Linux).</summary>
public class ReservedMemoryFacts
{
    [Fact]
    public void Release_ReturnsWholePages_AndKeepsPartlyCoveredOnes()
    {
        long page = Environment.SystemPageSize;
        using var memory = new ReservedMemory(4 * page);
        int floatsPerPage = (int)(page / sizeof(float));
        memory.Floats(0, 4 * floatsPerPage).Fill(7f);

        // [½ page, 3 pages): page 0 is partly covered (kept), pages 1 and 2 are whole (returned), page 3 untouched.
        memory.Release(page / 2, 3 * page - page / 2);

        Assert.All(memory.Floats(0, floatsPerPage).ToArray(), v => Assert.Equal(7f, v));
        Assert.All(memory.Floats(3L * floatsPerPage, floatsPerPage).ToArray(), v => Assert.Equal(7f, v));
        if (OperatingSystem.IsLinux())
            Assert.All(memory.Floats(floatsPerPage, 2 * floatsPerPage).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void NewMemory_ReadsZero_AndRangesOutsideThrow()
    {
        using var memory = new ReservedMemory(1 << 20);

        Assert.All(memory.Floats(1000, 100).ToArray(), v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.Floats((1 << 18) - 10, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.Release(0, (1 << 20) + 1));
    }
}
