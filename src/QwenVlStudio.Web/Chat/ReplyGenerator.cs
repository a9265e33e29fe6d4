using Microsoft.Extensions.Logging;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Chat;

/// <summary>
/// Produces the assistant's answer to a conversation at interactive priority, streaming into a
/// <see cref="LiveReply"/>, and stores the answer (text, timings, finish reason or error) when it ends, however it ends.
/// </summary>
public sealed class ReplyGenerator(
    EngineService engine,
    EngineGovernor governor,
    ConversationStore conversations,
    ImageStore images,
    ILogger<ReplyGenerator> logger)
{
    /// <summary>Stores an empty assistant message to fill; the UI shows it before the first token.</summary>
    /// <exception cref="KeyNotFoundException">No such conversation for this owner.</exception>
    /// <param name="earlierVariants">Regenerating: the answers this one replaces, kept on it as variants.</param>
    public LiveReply Begin(Guid ownerId, Guid conversationId, List<AnswerVariant>? earlierVariants = null)
    {
        var record = conversations.Append(ownerId, conversationId,
            new MessageRecord { Role = ChatRole.Assistant, Variants = earlierVariants ?? [] });
        return new LiveReply(record.Id);
    }

    /// <summary>Runs the generation for a reply made by <see cref="Begin"/>. Cancelling stops it at once.</summary>
    public Task RunAsync(Guid ownerId, Guid conversationId, LiveReply reply, CancellationToken cancellationToken) =>
        RunAsync(ownerId, conversationId, reply, sample: false, cancellationToken);

    /// <param name="sample">
    /// Regenerating: sample (the settings' temperature, a fresh seed) even when the defaults are greedy, since a
    /// greedy rerun would give the identical answer.
    /// </param>
    public async Task RunAsync(Guid ownerId, Guid conversationId, LiveReply reply, bool sample, CancellationToken cancellationToken)
    {
        try
        {
            var history = conversations.Messages(ownerId, conversationId).Where(m => m.Id != reply.MessageId).ToList();
            var messages = ChatHistoryBuilder.Build(history, id => images.ReadBytes(ownerId, id));
            var options = governor.Current.ToGenerationOptions();
            if (sample)
                options = options with { DoSample = true, Seed = Random.Shared.NextInt64() };
            await foreach (var update in engine.GenerateAsync(messages, options, WorkPriority.Interactive, ownerId.ToString("N"), cancellationToken))
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
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reply.Stop();
        }
        catch (Exception ex) when (ex is EngineBusyException or EngineUnavailableException or QwenVlException)
        {
            reply.Fail(ex.Message);
        }
        catch (Exception ex)
        {
            // Logged with its stack for the operator; the user sees the reason in place of the answer.
            logger.LogError(ex, "Generating a reply in conversation {Conversation} failed", conversationId);
            reply.Fail($"Generation failed: {ex.Message}");
        }
        finally
        {
            Save(ownerId, conversationId, reply);
        }
    }

    private void Save(Guid ownerId, Guid conversationId, LiveReply reply)
    {
        var record = conversations.Messages(ownerId, conversationId).FirstOrDefault(m => m.Id == reply.MessageId);
        if (record is null)
            return; // the conversation was deleted while the answer was running
        record.Text = reply.Text;
        record.Stats = reply.Stats;
        record.FinishReason = reply.FinishReason;
        record.Error = reply.Error;
        conversations.Update(ownerId, record);
    }
}
