using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Components.Chat;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Components;

/// <summary>Issue 14, group 3: images are checked in full when attached; the first 8 are kept; a lightbox.</summary>
public sealed class AttachmentFacts
{
    private static IRenderedComponent<Composer> Render(StudioBunitContext ctx, List<ComposerSubmission> sent) =>
        ctx.Render<Composer>(p => p
            .Add(c => c.OwnerId, ctx.UserId)
            .Add(c => c.Submit, s => { sent.Add(s); return Task.FromResult(true); }));

    [Fact]
    public void Check_RefusesATruncatedPicture_ThatItsHeaderAlonePasses()
    {
        var truncated = BadImages.Truncated();
        Assert.True(QwenVlStudio.Web.Uploads.ImageUploadValidator.Check(truncated, 10_000_000, 10_000_000).IsAccepted,
            "the header check alone lets it through; that is what this fact guards against");

        var check = AttachmentCheck.Check(truncated, 10_000_000, 10_000_000);

        Assert.False(check.IsAccepted);
        Assert.Contains("truncated", check.Error);
        Assert.True(AttachmentCheck.Check(TestImages.Png(320, 200), 10_000_000, 10_000_000).IsAccepted);
    }

    [Fact]
    public async Task Composer_RefusesATruncatedImage_AtAttachTime_WithTheReason()
    {
        await using var ctx = new StudioBunitContext();
        var cut = Render(ctx, []);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(BadImages.Truncated(), "cut.png", contentType: "image/png"));

        cut.WaitForAssertion(() => Assert.Contains("cut.png: The PNG image is truncated", cut.Find("[data-testid=chat-upload-error]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=chat-attachment]"));
    }

    [Fact]
    public async Task Composer_KeepsTheFirstEight_OfNineImages_AndNamesTheOneLeftOut()
    {
        await using var ctx = new StudioBunitContext();
        var sent = new List<ComposerSubmission>();
        var cut = Render(ctx, sent);

        var files = Enumerable.Range(1, 9)
            .Select(i => InputFileContent.CreateFromBinary(TestImages.Png(20 + i, 20), $"photo{i}.png", contentType: "image/png"))
            .ToArray();
        cut.FindComponent<InputFile>().UploadFiles(files);

        cut.WaitForAssertion(() => Assert.Equal(8, cut.FindAll("[data-testid=chat-attachment]").Count));
        var note = cut.Find("[data-testid=chat-upload-error]").TextContent;
        Assert.Contains("At most 8 images per message: kept the first 8; photo9.png not attached.", note);
        Assert.DoesNotContain("photo8.png", note);
        await cut.Find("[data-testid=chat-send]").ClickAsync(new());
        Assert.Equal(8, Assert.Single(sent).ImageIds.Count);
    }

    [Fact]
    public async Task UserImage_OpensInALightbox_AndEscClosesIt()
    {
        await using var ctx = new StudioBunitContext();
        var record = new MessageRecord { Role = ChatRole.User, Text = "look", ImageIds = ["img-1"] };
        var cut = ctx.Render<MessageView>(p => p.Add(c => c.Record, record));
        Assert.Empty(cut.FindAll("[data-testid=chat-lightbox]"));

        await cut.Find(".msg-image-button").ClickAsync(new());
        Assert.Equal("images/img-1", cut.Find("[data-testid=chat-lightbox] img").GetAttribute("src"));

        await cut.Find("[data-testid=chat-lightbox]").KeyDownAsync(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Escape" });
        Assert.Empty(cut.FindAll("[data-testid=chat-lightbox]"));

        await cut.Find(".msg-image-button").ClickAsync(new());
        await cut.Find("[data-testid=chat-lightbox]").ClickAsync(new());
        Assert.Empty(cut.FindAll("[data-testid=chat-lightbox]"));
    }
}
