using System.Text.Json;

namespace ReputationMonitor.Api;

public sealed record ReasonRequest(string? Reason);
public sealed record ResolveRequest(string? Outcome, string? Reason);
public sealed record ExtendRequest(double? Hours, string? Reason);
public sealed record NoteRequest(string? Text);

/// <summary>What became of an operator command: applied (with its decision) or still on its way.</summary>
public sealed record CommandResult(string CommandId, bool Applied, string? Status, string? DecisionId, string? Rule);

public sealed record SendingStatusView(string AccountId, bool SendingEnabled, string Status, string? Reason, DateTimeOffset? Since);

public sealed record ReviewDetail(Guid Id, string Scope, string Entity, string Status, string Rule, DateTimeOffset OpenedAt,
    DateTimeOffset Deadline, DateTimeOffset? ClosedAt, JsonElement Evidence, JsonElement Notes);
