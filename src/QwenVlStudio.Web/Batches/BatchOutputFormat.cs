namespace QwenVlStudio.Web.Batches;

/// <summary>What the answers of a batch should look like.</summary>
public enum BatchOutputFormat
{
    /// <summary>Whatever the model writes.</summary>
    Text,

    /// <summary>The model is told to answer with JSON only; an answer that does not parse fails its item.</summary>
    Json,
}
