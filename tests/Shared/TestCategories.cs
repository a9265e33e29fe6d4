namespace QwenVlStudio.Tests.Shared;

/// <summary>
/// The xunit trait ("Category") values that tier the suite. <c>scripts/test.sh --fast</c> leaves out every test
/// marked with one of them; the full run (CI) runs them all.
/// </summary>
public static class TestCategories
{
    public const string Name = "Category";

    /// <summary>Drives Debian's chromium through Playwright.</summary>
    public const string Browser = "Browser";

    /// <summary>Starts a throw-away PostgreSQL server.</summary>
    public const string Postgres = "Postgres";

    /// <summary>Starts another process (the app, a test host, the CLI) and talks to it.</summary>
    public const string ChildProcess = "ChildProcess";

    /// <summary>Takes tens of seconds on its own (large loops, the real model).</summary>
    public const string Slow = "Slow";
}
