using QwenVlStudio.Web.Batches;

namespace QwenVlStudio.Web.Tests.Support;

public static class BatchInputs
{
    /// <summary><paramref name="count"/> distinct small PNGs named image-01.png, image-02.png, …</summary>
    public static List<BatchInput> Images(int count) =>
        Enumerable.Range(1, count).Select(i => BatchInput.FromBytes($"image-{i:D2}.png", TestImages.Png(24 + i, 20 + i))).ToList();

    public static BatchRequest Request(string prompt = "Describe the image.", int maxNewTokens = 64) =>
        new(prompt, new BatchGenerationSettings { MaxNewTokens = maxNewTokens });

    /// <summary>Waits (up to <paramref name="seconds"/>) for the batch to have no pending or running item.</summary>
    public static async Task<BatchProgress> WaitUntilFinishedAsync(BatchService batches, Guid owner, Guid batchId, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var progress = batches.Progress(owner, batchId) ?? throw new InvalidOperationException("The batch is gone.");
            if (progress.Pending + progress.Running == 0)
                return progress;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The batch did not finish in {seconds} s: {progress}");
            await Task.Delay(25);
        }
    }

    /// <summary>The image file names the fake engine was asked about, in order.</summary>
    public static List<string?> AskedImages(FakeEngine engine)
    {
        lock (engine.Requests)
            return engine.Requests.Select(r => r[^1].Images.FirstOrDefault()?.Name).ToList();
    }
}
