namespace ReputationMonitor.Core.Tests;

internal static class Samples
{
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", name));
}
