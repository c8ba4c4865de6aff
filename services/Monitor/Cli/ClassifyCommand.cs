using System.CommandLine;
using System.Text.Json;
using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Cli;

/// <summary><c>monitor classify</c>: SMTP responses on stdin, one JSON classification per line on stdout.</summary>
public static class ClassifyCommand
{
    public static Command Create()
    {
        var cmd = new Command("classify", "Classify SMTP responses read one per line from standard input.");
        cmd.SetAction(async (_, ct) =>
        {
            var classifier = SmtpResponseClassifier.Default;
            var providers = ProviderDirectory.Default;
            using var stdout = Console.OpenStandardOutput();
            string? line;
            while ((line = await Console.In.ReadLineAsync(ct)) is not null)
            {
                var c = classifier.Classify(line);
                var provider = c.Provider ?? (providers.FromSignature(line) is { } p ? Providers.Name(p) : "other");
                using (var w = new Utf8JsonWriter(stdout))
                {
                    w.WriteStartObject();
                    w.WriteString("input", line);
                    w.WriteString("class", c.Class);
                    w.WriteString("provider", provider);
                    w.WriteString("enhancedStatus", c.EnhancedStatus);
                    w.WriteString("explanation", c.Explanation);
                    w.WriteString("ruleId", c.RuleId);
                    w.WriteEndObject();
                }
                stdout.WriteByte((byte)'\n');
            }
            return 0;
        });
        return cmd;
    }
}
