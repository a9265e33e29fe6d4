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

/// <summary>The pool's copies between rows and its release of a row's tail.</summary>
public class KvPoolFacts
{
    [Fact]
    public void MoveSwapAndReleaseFrom_TouchOnlyTheirPositions()
    {
        long page = Environment.SystemPageSize;
        int capacity = (int)(4 * page / sizeof(float) / 2); // hd 2: each head's run is 4 pages
        using var pool = new KvPool(layers: 1, maxRows: 2, kvHeads: 2, capacity, headDim: 2);
        using var source = KvCache.Adopt(
            [Tensor(capacity, h => 1f + h), Tensor(capacity, h => 10f + h)], capacity);
        pool.CopyIn(source, 1);

        pool.Move(1, 0, capacity);
        pool.ReleaseFrom(0, capacity / 2);

        using var copy = pool.CopyOut(0, capacity);
        var keys = copy.Values[0].GetTensorDataAsSpan<float>().ToArray();
        int run = capacity * 2;
        Assert.All(keys.AsSpan(0, run / 2).ToArray(), v => Assert.Equal(1f, v)); // head 0, kept half
        Assert.All(keys.AsSpan(run, run / 2).ToArray(), v => Assert.Equal(2f, v)); // head 1, kept half
        if (OperatingSystem.IsLinux())
        {
            Assert.All(keys.AsSpan(run / 2, run / 2).ToArray(), v => Assert.Equal(0f, v)); // released (whole pages)
            Assert.All(keys.AsSpan(run + run / 2, run / 2).ToArray(), v => Assert.Equal(0f, v));
        }
        pool.Swap(0, 1, 4);
        using var swapped = pool.CopyOut(1, 4);
        Assert.All(swapped.Values[1].GetTensorDataAsSpan<float>().ToArray()[..8], v => Assert.Equal(10f, v));
    }

    private static Microsoft.ML.OnnxRuntime.OrtValue Tensor(int positions, Func<int, float> valueOfHead)
    {
        var tensor = KvTensors.Allocate(1, 2, positions, 2);
        var data = tensor.GetTensorMutableDataAsSpan<float>();
        for (int h = 0; h < 2; h++) data.Slice(h * positions * 2, positions * 2).Fill(valueOfHead(h));
        return tensor;
    }
}
