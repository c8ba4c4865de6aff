namespace ReputationMonitor.Observability;

/// <summary>The stream processor's state, for readiness and <c>/v1/system</c>.</summary>
public sealed class StreamStatus
{
    private volatile string _state = "CREATED";
    public string State => _state;
    public bool IsRunning => _state == "RUNNING";
    /// <summary>Stopped on an error (the partition processor's ERROR, Streamiz's PENDING_ERROR and ERROR): it will not recover by itself.</summary>
    public bool HasFailed => _state is "ERROR" or "PENDING_ERROR";
    public string? LastError { get; private set; }

    /// <summary>How many times the stream has entered RUNNING (more than once after start-up: it rebalanced or restarted).</summary>
    public int TimesRunning => _timesRunning;
    private int _timesRunning;

    public void Set(string state)
    {
        _state = state;
        if (state == "RUNNING") Interlocked.Increment(ref _timesRunning);
        Observability.MonitorMetrics.StreamRunning.Set(IsRunning ? 1 : 0);
    }

    public void Fail(string error)
    {
        LastError = error;
        Set("ERROR");
    }
}
