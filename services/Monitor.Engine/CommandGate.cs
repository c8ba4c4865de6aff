using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Engine;

/// <summary>
/// Whether an operator command may be applied: signed by the API (<see cref="CommandSignature"/>) and within the bounds of
/// <see cref="CommandRules"/>. Checked at the door (the commands topic) and again by the engine, which also reads the
/// by-account topic: a command written there directly gets no further than one written to the commands topic.
/// </summary>
public static class CommandGate
{
    /// <summary>The DLQ code and detail of a command that must not be applied, or null.</summary>
    public static (string Code, string Detail)? Refusal(OperatorCommand command, ReputationEngineSettings settings)
    {
        if (settings.CommandSignature is not { } signature || !signature.IsValid(command))
            return (DlqReasons.UnauthorizedCommand, command.Signature is null ? "the command is not signed" : "the command's signature does not verify");
        var now = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        return CommandRules.Violation(command, now, settings.MaxFutureSkewMs, (long)settings.MaxCommandAge.TotalMilliseconds) is { } why
            ? (DlqReasons.InvalidCommand, why)
            : null;
    }
}
