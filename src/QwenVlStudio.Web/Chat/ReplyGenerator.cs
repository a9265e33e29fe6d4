using System.Diagnostics;
using Microsoft.Extensions.Logging;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Constrained;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Chat;

/// <summary>
/// Produces the assistant's answer to a conversation at interactive priority, streaming into a
/// <see cref="LiveReply"/>, and stores the answer (text, timings, finish reason or error) when it ends, however it ends.
/// While it streams, the text so far is saved at most every <see cref="SaveInterval"/> or <see cref="SaveEveryTokens"/>
/// tokens, so a killed process loses at most that much; the answer is then marked interrupted at the next start.
/// </summary>
public sealed class ReplyGenerator(
    EngineService engine,
    EngineGovernor governor,
    ConversationStore conversations,
    ImageStore images,
    ILogger<ReplyGenerator> logger)
{
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(1);

    public const int SaveEveryTokens = 32;

    /// <summary>Stores an empty assistant message to fill; the UI shows it before the first token.</summary>
    /// <exception cref="KeyNotFoundException">No such conversation for this owner.</exception>
    /// <param name="earlierVariants">Regenerating: the answers this one replaces, kept on it as variants.</param>
    public LiveReply Begin(Guid ownerId, Guid conversationId, List<AnswerVariant>? earlierVariants = null)
    {
        var record = conversations.Append(ownerId, conversationId,
            new MessageRecord { Role = ChatRole.Assistant, InProgress = true, Variants = earlierVariants ?? [] });
        return new LiveReply(record.Id);
    }

    /// <summary>Runs the generation for a reply made by <see cref="Begin"/>. Cancelling stops it at once.</summary>
    public Task RunAsync(Guid ownerId, Guid conversationId, LiveReply reply, CancellationToken cancellationToken) =>
        RunAsync(ownerId, conversationId, reply, constraint: null, sample: false, cancellationToken);

    /// <param name="constraint">The chat's JSON toggle: the answer is constrained JSON.</param>
    /// <param name="sample">
    /// Regenerating: sample (the settings' temperature, a fresh seed) even when the defaults are greedy, since a
    /// greedy rerun would give the identical answer.
    /// </param>
    public async Task RunAsync(Guid ownerId, Guid conversationId, LiveReply reply, JsonConstraint? constraint, bool sample, CancellationToken cancellationToken)
    {
        try
        {
            var history = conversations.Messages(ownerId, conversationId).Where(m => m.Id != reply.MessageId).ToList();
            var messages = ChatHistoryBuilder.Build(history, id => images.ReadBytes(ownerId, id));
            var options = governor.Current.ToGenerationOptions() with { Constraint = constraint };
            if (sample)
                options = options with { DoSample = true, Seed = Random.Shared.NextInt64() };
            var lastSave = Stopwatch.GetTimestamp();
            int unsavedTokens = 0;
            await foreach (var update in engine.GenerateAsync(messages, options, RequestPriority.Interactive, ownerId.ToString("N"), cancellationToken))
            {
                switch (update)
                {
                    case QueuedUpdate queued:
                        reply.Queued(queued.Position);
                        break;
                    case StartedUpdate:
                        reply.Started();
                        break;
                    case TokenUpdate token:
                        reply.Add(token.Event);
                        if (++unsavedTokens >= SaveEveryTokens || Stopwatch.GetElapsedTime(lastSave) >= SaveInterval)
                        {
                            Save(ownerId, conversationId, reply, inProgress: true);
                            lastSave = Stopwatch.GetTimestamp();
                            unsavedTokens = 0;
                        }
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reply.Stop();
        }
        catch (Exception ex)
        {
            var error = EngineErrorClassifier.Classify(ex);
            // A fault (not bad input, capacity or loading) is logged with its stack for the operator; the user sees
            // the reason in place of the answer either way.
            if (!EngineErrorClassifier.IsExpected(ex))
                logger.LogError(ex, "Generating a reply in conversation {Conversation} failed", conversationId);
            reply.Fail(error.Message);
        }
        finally
        {
            Save(ownerId, conversationId, reply, inProgress: false);
        }
    }

    private void Save(Guid ownerId, Guid conversationId, LiveReply reply, bool inProgress)
    {
        var record = conversations.Messages(ownerId, conversationId).FirstOrDefault(m => m.Id == reply.MessageId);
        if (record is null)
            return; // the conversation was deleted while the answer was running
        record.Text = reply.Text;
        record.Stats = reply.Stats;
        record.FinishReason = reply.FinishReason;
        record.Error = reply.Error;
        record.InProgress = inProgress;
        conversations.Update(ownerId, record);
    }
}
