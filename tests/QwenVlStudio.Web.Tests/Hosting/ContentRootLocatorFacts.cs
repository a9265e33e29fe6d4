using QwenVlStudio.Web.Hosting;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Hosting;

public sealed class ContentRootLocatorFacts
{
    [Fact]
    public void Find_ReturnsRepoTop_WhenStartedFromAProjectFolder()
    {
        var project = Path.Combine(TestPaths.RepoRoot, "src", "QwenVlStudio.Web");
        Assert.Equal(TestPaths.RepoRoot, ContentRootLocator.Find([], project, "/"));
    }

    [Fact]
    public void Find_LeavesTheChoiceToAspNet_WhenContentRootIsGiven()
    {
        Assert.Null(ContentRootLocator.Find(["--contentRoot=/srv/x"], TestPaths.RepoRoot, "/"));
    }

    [Fact]
    public void Find_FallsBackToTheBuildOutput_WhenTheWorkingFolderIsElsewhere()
    {
        Assert.Equal(TestPaths.RepoRoot, ContentRootLocator.Find([], "/", AppContext.BaseDirectory));
    }
}
