using QwenVlStudio.Web.Auth;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Chat;

public static class ChatGroundingEndpoints
{
    /// <summary>
    /// GET /chat/{conversation}/messages/{message}/boxes: the boxes of a "find objects" answer drawn on its question's
    /// image, for the signed-in owner only (another user's conversation answers 404 like a missing one).
    /// </summary>
    public static IEndpointRouteBuilder MapChatGrounding(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/chat/{conversationId:guid}/messages/{messageId:guid}/boxes",
            (Guid conversationId, Guid messageId, HttpContext context, ConversationStore conversations, ImageStore images) =>
            {
                var owner = context.User.UserId();
                var messages = conversations.Messages(owner, conversationId);
                var answer = messages.FirstOrDefault(m => m.Id == messageId);
                if (answer is null || ChatGrounding.Draw(messages, answer, id => images.ReadBytes(owner, id)) is not { } png)
                    return Results.NotFound();
                context.Response.Headers.CacheControl = "private, no-cache";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.File(png, "image/png");
            }).RequireAuthorization();
        return endpoints;
    }
}
