namespace QwenVlStudio.Web.Tests.Support;

/// <summary>Waits for a host to let go of its data files.</summary>
public static class DataFiles
{
    /// <summary>
    /// Returns once no process holds <paramref name="path"/> open (LiteDB keeps a lock on its file while open; an
    /// exclusive open succeeds only after it closed). A minimal-hosting app is disposed on its own thread too, so
    /// disposing a WebApplicationFactory can return before the app's singletons are gone.
    /// </summary>
    public static async Task WaitUntilClosedAsync(string path, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (File.Exists(path))
        {
            try
            {
                using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }
}
