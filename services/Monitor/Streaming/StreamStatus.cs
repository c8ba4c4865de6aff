namespace ReputationMonitor.Streaming;

/// <summary>The stream processor's state, for readiness and <c>/v1/system</c>.</summary>
public sealed class StreamStatus
{
    private volatile string _state = "CREATED";
    public string State => _state;
    public bool IsRunning => _state == "RUNNING";
    public string? LastError { get; private set; }

    public void Set(string state)
    {
        _state = state;
        Observability.MonitorMetrics.StreamRunning.Set(IsRunning ? 1 : 0);
    }

    public void Fail(string error)
    {
        LastError = error;
        Set("ERROR");
    }
}
