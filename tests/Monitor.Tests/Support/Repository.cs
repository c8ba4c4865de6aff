namespace ReputationMonitor.Tests.Support;

/// <summary>The repository these tests were built from (the folder holding Monitor.sln above the test binaries).</summary>
public static class Repository
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Monitor.sln"))) return dir.FullName;
            throw new InvalidOperationException("Monitor.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
