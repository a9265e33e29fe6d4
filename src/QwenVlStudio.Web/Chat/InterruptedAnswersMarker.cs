using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Chat;

/// <summary>
/// At start-up, before the app answers anyone: answers a killed process left half-written are marked interrupted,
/// so they show their saved text with a note instead of looking finished (or streaming forever).
/// </summary>
public sealed class InterruptedAnswersMarker(ConversationStore conversations, ILogger<InterruptedAnswersMarker> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        int marked = conversations.MarkInterruptedAnswers();
        if (marked > 0)
            logger.LogWarning("{Count} chat answer(s) were being written when the server last stopped; they are marked interrupted.", marked);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
