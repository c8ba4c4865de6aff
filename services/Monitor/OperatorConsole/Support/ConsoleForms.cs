namespace ReputationMonitor.OperatorConsole.Support;

/// <summary>What the console's forms post; the API's handlers validate it (one set of rules for both).</summary>
public sealed class ReasonForm
{
    public string? Reason { get; set; }
}

/// <summary>Pause or resume: what the operator saw and meant (the status may have changed since; the API then says so).</summary>
public sealed class StatusForm
{
    public string? Intent { get; set; }
    public string? Reason { get; set; }
}

public sealed class NoteForm
{
    public string? Text { get; set; }
}

public sealed class ExtendForm
{
    public double? Hours { get; set; } = 24;
    public string? Reason { get; set; }
}

public sealed class ResolveForm
{
    public string? Outcome { get; set; } = "healthy";
    public string? Reason { get; set; }
}

public sealed class SuppressForm
{
    public string? Email { get; set; }
    public string? Reason { get; set; }
}

public sealed class UnsuppressForm
{
    public string? Email { get; set; }
    public string? Reason { get; set; }
}
