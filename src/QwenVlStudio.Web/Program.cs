using QwenVlStudio.Web.Api;
using QwenVlStudio.Web.Chat;
using QwenVlStudio.Web.Auth;
using QwenVlStudio.Web.Batches.Hosting;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Hosting;
using QwenVlStudio.Web.Observability;
using QwenVlStudio.Web.Uploads;

// Before any file is made: the data files hold password hashes, conversations and images (0600, folders 0700).
PrivateFiles.RestrictNewFiles();
var builder = WebApplication.CreateBuilder(StudioHost.Options(args)).UseDefaultUrl();

builder.Services.AddStudioData();
builder.Services.AddStudioAuth();
builder.Services.AddQwenVlEngine();
builder.Services.AddStudioUi();
builder.Services.AddOpenAiApi();
builder.Services.AddMonitoring();
builder.Services.AddBatchJobs();

try
{
    var app = builder.Build();

    app.UseStudioPipeline();
    app.MapAccountEndpoints();
    app.MapImageEndpoints();
    app.MapChatGrounding();
    app.MapStudioUi();
    app.MapOpenAiApi();
    app.MapMonitoring();
    app.MapBatchJobs();

    app.Run();
}
catch (Exception e) when (DataFileFailure(e) is { } failure)
{
    // A clear sentence naming the file and the fix, not a stack trace, and no half-working app.
    Console.Error.WriteLine($"QwenVL Studio cannot start: {failure.Message}");
    return 1;
}
return 0;

static DataFileException? DataFileFailure(Exception? e)
{
    for (; e is not null; e = e.InnerException)
    {
        if (e is DataFileException failure)
            return failure;
        if (e is AggregateException { InnerExceptions.Count: > 0 } many)
            return many.InnerExceptions.Select(DataFileFailure).FirstOrDefault(f => f is not null);
    }
    return null;
}

/// <summary>Entry point; public so that WebApplicationFactory can host the app in tests.</summary>
public partial class Program;
