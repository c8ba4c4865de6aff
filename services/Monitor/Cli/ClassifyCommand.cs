using System.CommandLine;
using System.Text.Json;
using ReputationMonitor.Core.Classification;

namespace ReputationMonitor.Cli;

/// <summary>
/// <c>monitor classify</c>: SMTP responses on stdin, one JSON classification per line on stdout; <c>--explain</c> adds the
/// rule, its precedence step and its source; <c>--evaluate FILE</c> measures the classifier on a labelled corpus.
/// </summary>
public static class ClassifyCommand
{
    public static Command Create()
    {
        var explain = new Option<bool>("--explain") { Description = "Also print which rule matched, its precedence step and the source it was written from." };
        var evaluate = new Option<FileInfo?>("--evaluate")
        {
            Description = "Measure the classifier on a labelled corpus (TSV: response, class, provider, scope, source) instead of reading stdin: "
                          + "per-class precision and recall, the confusion matrix; exits 1 below --min-accuracy.",
        };
        var misses = new Option<bool>("--misses") { Description = "With --evaluate: list every response classified wrong." };
        var minAccuracy = new Option<double>("--min-accuracy") { Description = "With --evaluate: the class and provider accuracy required (0..1).", DefaultValueFactory = _ => 0 };
        var cmd = new Command("classify", "Classify SMTP responses read one per line from standard input.") { explain, evaluate, misses, minAccuracy };
        cmd.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(evaluate) is { } file) return Evaluate(file, parse.GetValue(misses), parse.GetValue(minAccuracy));
            var classifier = SmtpResponseClassifier.Default;
            var providers = ProviderDirectory.Default;
            var withExplain = parse.GetValue(explain);
            using var stdout = Console.OpenStandardOutput();
            string? line;
            while ((line = await Console.In.ReadLineAsync(ct)) is not null)
            {
                var c = classifier.Classify(line);
                using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    w.WriteStartObject();
                    w.WriteString("input", line);
                    w.WriteString("class", c.Class);
                    w.WriteString("provider", ResponseProvider.Of(c, line, providers));
                    w.WriteString("scope", c.Scope ?? ResponseScopes.Unknown);
                    w.WriteString("entity", c.Entity);
                    w.WriteString("enhancedStatus", c.EnhancedStatus);
                    w.WriteString("explanation", c.Explanation);
                    w.WriteString("ruleId", c.RuleId);
                    if (withExplain)
                    {
                        w.WriteString("step", c.Step);
                        w.WriteString("source", c.Source);
                        w.WriteString("precedence", Precedence(c.Step));
                    }
                    w.WriteEndObject();
                }
                stdout.WriteByte((byte)'\n');
            }
            return 0;
        });
        return cmd;
    }

    private static string Precedence(string step) => step switch
    {
        PrecedenceSteps.ProviderCode => "1 of 5: a provider's own code decided",
        PrecedenceSteps.Authentication => "2 of 5: explicit SPF/DKIM/DMARC/PTR wording decided (no provider code matched)",
        PrecedenceSteps.Wording => "3 of 5: explicit wording decided (no provider code or authentication wording matched)",
        PrecedenceSteps.EnhancedStatus => "4 of 5: the enhanced status code decided (no rule's wording matched)",
        PrecedenceSteps.ReplyCode => "5 of 5: only the basic reply code was recognised",
        _ => "nothing recognisable",
    };

    private static int Evaluate(FileInfo file, bool listMisses, double minAccuracy)
    {
        if (!file.Exists)
        {
            Console.Error.WriteLine($"--evaluate: no file {file.FullName}");
            return 2;
        }
        IReadOnlyList<LabelledResponse> rows;
        try
        {
            rows = SmtpCorpus.Read(file.FullName);
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"--evaluate: {e.Message}");
            return 2;
        }
        var result = ClassifierEvaluation.Run(rows, SmtpResponseClassifier.Default, ProviderDirectory.Default);
        Console.Out.Write($"{file.Name}: ");
        Console.Out.Write(result.Report(listMisses));
        if (result.ClassAccuracy >= minAccuracy && result.ProviderAccuracy >= minAccuracy) return 0;
        Console.Error.WriteLine($"below the required accuracy of {minAccuracy:P1}");
        return 1;
    }
}
