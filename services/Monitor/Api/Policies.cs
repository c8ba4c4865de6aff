namespace ReputationMonitor.Api;

public static class Policies
{
    public const string Viewer = "viewer", Operator = "operator", Admin = "admin";
}
