using System.Runtime.InteropServices;

namespace QwenVlStudio.Web.Hosting;

/// <summary>
/// The app's files hold password hashes, conversations and images: folders it creates are 0700 and files 0600, on
/// Unix. LiteDB and the staging code create files with the process's umask, so the process umask is set to 077 at
/// start, and the folders the app makes are also created with an explicit mode.
/// </summary>
public static partial class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>New files 0600 and folders 0700 from now on, for the whole process (no effect off Unix).</summary>
    public static void RestrictNewFiles()
    {
        if (!OperatingSystem.IsWindows())
            _ = SetUmask(0x3F); // 077
    }

    /// <summary>Creates <paramref name="path"/> (and missing parents) as 0700; an existing folder is left as it is.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, FolderMode);
    }

    /// <summary>Makes an existing file 0600 (no effect off Unix).</summary>
    public static void Restrict(string file)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(file))
            File.SetUnixFileMode(file, FileMode);
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);
}
