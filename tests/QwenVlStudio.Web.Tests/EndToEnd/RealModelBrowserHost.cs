using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.EndToEnd;

/// <summary>The browser host with the real ONNX engine on the embedded tiny model (random weights, fast).</summary>
public sealed class RealModelBrowserHost : BrowserHost
{
    protected override void Configure(StudioFactory factory)
    {
        factory.UseRealEngine = true;
        factory.Settings["Governor:MaxNewTokens"] = "24";
    }
}
