using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Tests.Engine;

/// <summary>The one classifier of engine errors: by type, never by message text, the same for every front end.</summary>
public sealed class EngineErrorClassifierFacts
{
    [Fact]
    public void Classify_MapsEachEngineError_ToItsStatusCodeAndOutcome()
    {
        var busy = EngineErrorClassifier.Classify(new EngineBusyException(RequestPriority.Batch, 3));
        Assert.Equal((429, "server_busy", "busy", true), (busy.Status, busy.ApiCode, busy.MetricOutcome, busy.Transient));
        Assert.Equal(TimeSpan.FromSeconds(5), busy.RetryAfter);

        var loading = EngineErrorClassifier.Classify(new EngineUnavailableException(EngineState.Loading, "Loading…"));
        Assert.Equal((503, "model_not_ready", true), (loading.Status, loading.ApiCode, loading.Transient));
        Assert.False(EngineErrorClassifier.Classify(new EngineUnavailableException(EngineState.Failed, "broken")).Transient);

        var option = EngineErrorClassifier.Classify(new InvalidGenerationOptionException("top_p", "top_p must be greater than 0 and at most 1"));
        Assert.Equal((400, "invalid_value", "top_p", "rejected"), (option.Status, option.ApiCode, option.Param, option.MetricOutcome));

        // The message mentions no "context": the type decides, not the text.
        var context = EngineErrorClassifier.Classify(new ContextLengthExceededException(70, 64, "too long"));
        Assert.Equal((400, "context_length_exceeded", "messages"), (context.Status, context.ApiCode, context.Param));
        var prompt = EngineErrorClassifier.Classify(new InvalidPromptException("the context of the conversation is odd"));
        Assert.Equal("invalid_prompt", prompt.ApiCode);

        var image = EngineErrorClassifier.Classify(new ImageRejectedException("the image is truncated"));
        Assert.Equal(("invalid_image", "Invalid image: the image is truncated", "The image is truncated"), (image.ApiCode, image.ApiMessage, image.Sentence));

        var fault = EngineErrorClassifier.Classify(new InvalidOperationException("native crash"));
        Assert.Equal((500, "error", "Generation failed: native crash"), (fault.Status, fault.MetricOutcome, fault.Message));
        Assert.DoesNotContain("native", fault.ApiMessage);
        Assert.False(EngineErrorClassifier.IsExpected(new InvalidOperationException()));
        Assert.True(EngineErrorClassifier.IsExpected(new ImageRejectedException("x")));
    }
}
