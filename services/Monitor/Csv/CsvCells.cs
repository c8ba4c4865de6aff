namespace ReputationMonitor.Csv;

/// <summary>Cells of the CSV files the monitor writes, safe to open in a spreadsheet.</summary>
public static class CsvCells
{
    /// <summary>
    /// A cell a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a carriage return: an address, a note,
    /// an actor or a reason is partly written by others) is prefixed with an apostrophe, as OWASP's CSV-injection advice says.
    /// </summary>
    public static string Cell(string? value) => value is null ? "" : value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    /// <summary>A cell read back: the apostrophe <see cref="Cell"/> put in front of a formula character comes off.</summary>
    public static string Uncell(string value) => value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? value[1..] : value;
}
