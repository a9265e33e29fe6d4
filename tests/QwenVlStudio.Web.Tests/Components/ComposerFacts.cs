using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using QwenVlStudio.Web.Components.Chat;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Components;

public sealed class ComposerFacts
{
    private static IRenderedComponent<Composer> Render(StudioBunitContext ctx, List<ComposerSubmission> sent, bool accept = true, bool disabled = false, bool generating = false, Action? onStop = null) =>
        ctx.Render<Composer>(p => p
            .Add(c => c.OwnerId, ctx.UserId)
            .Add(c => c.Disabled, disabled)
            .Add(c => c.IsGenerating, generating)
            .Add(c => c.OnStop, onStop ?? (() => { }))
            .Add(c => c.Submit, s => { sent.Add(s); return Task.FromResult(accept); }));

    [Fact]
    public async Task Upload_AddsPreviewAndSendsImageId_WhenFileIsAnImage()
    {
        await using var ctx = new StudioBunitContext();
        var sent = new List<ComposerSubmission>();
        var cut = Render(ctx, sent);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(TestImages.Png(), "holiday.png", contentType: "image/png"));
        cut.WaitForElement("[data-testid=chat-attachment]");
        cut.Find("[data-testid=chat-input]").Input("What is it?");
        await cut.Find("[data-testid=chat-send]").ClickAsync(new());

        var submission = Assert.Single(sent);
        Assert.Equal("What is it?", submission.Text);
        var id = Assert.Single(submission.ImageIds);
        Assert.Equal(TestImages.Png(), ctx.Db.Images.ReadBytes(ctx.UserId, id));
        Assert.DoesNotContain("holiday", id);
        Assert.Empty(cut.FindAll("[data-testid=chat-attachment]"));
        Assert.Equal("", cut.Find("[data-testid=chat-input]").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task Upload_ShowsFriendlyError_WhenFileIsNotAnImage()
    {
        await using var ctx = new StudioBunitContext();
        var cut = Render(ctx, []);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Encoding.UTF8.GetBytes("plain text"), "notes.png", contentType: "image/png"));

        cut.WaitForAssertion(() => Assert.Contains("notes.png: The file is a text file, not an image", cut.Find("[data-testid=chat-upload-error]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=chat-attachment]"));
    }

    [Fact]
    public async Task Upload_RefusesImage_WhenOverTheGovernorPixelLimit()
    {
        await using var ctx = new StudioBunitContext(new GovernorSettings { MaxImagePixels = 1_024, MaxConcurrentSequences = 1, MaxQueueLength = 2 });
        var cut = Render(ctx, []);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(TestImages.Png(64, 64), "big.png", contentType: "image/png"));

        cut.WaitForAssertion(() => Assert.Contains("limit is 1,024 pixels", cut.Find("[data-testid=chat-upload-error]").TextContent));
    }

    [Fact]
    public async Task Send_KeepsTextForRetry_WhenSubmissionIsRefused()
    {
        await using var ctx = new StudioBunitContext();
        var sent = new List<ComposerSubmission>();
        var cut = Render(ctx, sent, accept: false);

        cut.Find("[data-testid=chat-input]").Input("keep me");
        await cut.Find("[data-testid=chat-send]").ClickAsync(new());

        Assert.Single(sent);
        Assert.Equal("keep me", cut.Find("[data-testid=chat-input]").GetAttribute("value"));
    }

    [Fact]
    public async Task Composer_DisablesInputAndSend_WhenEngineIsNotReady()
    {
        await using var ctx = new StudioBunitContext();
        var cut = Render(ctx, [], disabled: true);
        Assert.True(cut.Find("[data-testid=chat-input]").HasAttribute("disabled"));
        Assert.True(cut.Find("[data-testid=chat-send]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Stop_ReplacesSendAndCallsOnStop_WhileGenerating()
    {
        await using var ctx = new StudioBunitContext();
        var stopped = 0;
        var cut = Render(ctx, [], generating: true, onStop: () => stopped++);

        Assert.Empty(cut.FindAll("[data-testid=chat-send]"));
        await cut.Find("[data-testid=chat-stop]").ClickAsync(new());
        Assert.Equal(1, stopped);
    }
}
