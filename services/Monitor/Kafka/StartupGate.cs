namespace ReputationMonitor.Kafka;

/// <summary>Opens once the topics exist, so no consumer auto-creates a topic with the broker's defaults first.</summary>
public sealed class StartupGate
{
    private readonly TaskCompletionSource _topics = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task TopicsReady => _topics.Task;
    public void OpenTopics() => _topics.TrySetResult();
    public void Fail(Exception e) => _topics.TrySetException(e);
}
