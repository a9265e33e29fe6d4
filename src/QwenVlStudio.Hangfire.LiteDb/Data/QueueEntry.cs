namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>A queue entry claimed by one fetch; <paramref name="FetchToken"/> proves the claim.</summary>
internal sealed record QueueEntry(long EntryId, long JobId, string Queue, string FetchToken);
