using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReputationMonitor.Core.Parsing;

namespace ReputationMonitor.Core.Tests;

/// <summary>
/// The one-pass readers must give exactly what the JsonDocument reference reader gives — the same event, or the
/// same reason — for every sample and for every way of breaking one field of it (removed, null, another type,
/// repeated, reordered).
/// </summary>
public sealed class FastReaderEquivalenceTests
{
    private static readonly string[] Attempts = ["send-attempt-accepted.json", "send-attempt-rejected.json"];

    public static TheoryData<string> SampleNames() =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "samples"), "*.json").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Every_sample_and_every_broken_field_reads_as_the_reference_reads_it(string sample)
    {
        var json = Encoding.UTF8.GetString(Samples.Read(sample));
        var attempt = Attempts.Contains(sample);
        Assert.True(AssertSame(attempt, json), $"{sample}: the one-pass reader declined a well-formed sample");
        var variants = Variants(json).ToList();
        Assert.True(variants.Count > 20, $"{sample}: only {variants.Count} variants");
        var taken = variants.Count(v => AssertSame(attempt, v));
        // The variants include records the one-pass reader takes (an unknown field, a reordering) and ones it leaves.
        Assert.InRange(taken, 2, variants.Count - 1);
    }

    [Theory]
    [InlineData("""{"eventType":"Delivery","eventType":"Bounce","mail":{"messageId":"m","sendingAccountId":"1","timestamp":"2026-11-20T09:00:00Z"},"delivery":{}}""")]
    [InlineData("""{"eventType":42,"eventType":"Delivery","mail":{"messageId":"m","sendingAccountId":"1","timestamp":"2026-11-20T09:00:00Z"},"delivery":{}}""")]
    [InlineData("""{"eventType":"Delivery","mail":{"messageId":"m","sendingAccountId":"1","timestamp":"2026-11-20T09:00:00Z"},"mail":null,"delivery":{}}""")]
    [InlineData("""{"eventType":"Delivery","mail":{"messageId":"m","sendingAccountId":"1","timestamp":"2026-11-20T09:00:00Z","tags":{"ses:from-domain":[{"a":1},"x.example"],"ses:outgoing-ip":"192.0.2.1","ses:source-ip":[]}},"delivery":{"recipients":["a@b.example"]}}""")]
    [InlineData("""  {"eventType":"Delivery","mail":{"messageId":"m","sendingAccountId":"1","timestamp":"2026-11-20T09:00:00+02:00"},"delivery":{}}  """)]
    [InlineData("""{"eventType":"Delivery","mail":{"messageId":"m","sendingAccountId":"1","timestamp":"2026-11-20T09:00:00Z"},"delivery":{}} x""")]
    [InlineData("""{"eventType":"Delivery","mail":{"messageId":"m","sendingAccountId":"1","timestamp":"2026-11-20T09:00:00Z"},"delivery":{}} // note""")]
    [InlineData("""{"eventType":"Deliv\u0065ry","mail":{"messageId":"m\u00e9","sendingAccountId":"1","timestamp":"2026-11-20T09:00:00Z"},"d\u0065livery":{}}""")]
    [InlineData("""{"eventType":"Bounce","mail":{"messageId":"m","sendingAccountId":"1","timestamp":"2026-11-20T09:00:00Z"},"bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"a@b.example"}],"bouncedRecipients":null}}""")]
    [InlineData("""{"Type":"Notification","Message":"{\"notificationType\":\"Delivery\",\"mail\":{\"messageId\":\"m\",\"sendingAccountId\":\"1\",\"timestamp\":\"2026-11-20T09:00:00Z\"},\"delivery\":{}}"}""")]
    [InlineData("""{"Type":"Notification","Message":"{\"Type\":\"Notification\",\"Message\":\"{}\"}"}""")]
    [InlineData("""{"eventType":"\uD800"}""")]
    // Two kinds of section: the one-pass reader keeps one and leaves such a record to the reference.
    [InlineData("""{"eventType":"Delivery","mail":{"messageId":"m","sendingAccountId":"1","timestamp":"2026-11-20T09:00:00Z"},"bounce":{"bounceType":"x"},"delivery":{"recipients":["a@b.example"]}}""")]
    [InlineData("""{"eventType":"Bounce","mail":{"messageId":"m","sendingAccountId":"1","timestamp":"2026-11-20T09:00:00Z"},"bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"a@b.example"}]},"delivery":{}}""")]
    [InlineData("""{"eventType":"Delivery","mail":{"messageId":"m","sendingAccountId":"1","timestamp":"2026-11-20T09:00:00Z"},"delivery":{"smtpResponse":"a"},"delivery":{"recipients":["a@b.example"]}}""")]
    [InlineData("""{"eventType":"Delivery","mail":{"messageId":"m","sendingAccountId":"1","timestamp":"2026-11-20T09:00:00Z","source":"A <Ops@Mail.Example.COM>"},"delivery":{}}""")]
    public void Edge_cases_read_as_the_reference_reads_them(string json) => AssertSame(attempt: false, json);

    [Theory]
    [InlineData("""{"outcome":"accepted","outcome":"rejected","accountId":"1","timestamp":"2026-11-20T09:00:00Z"}""")]
    [InlineData("""{"outcome":"accepted","messageId":"m","accountId":"1","timestamp":"2026-11-20T09:00:00Z","error":{"code":"X"},"error":{"message":"y"}}""")]
    [InlineData("""{"outcome":"accepted","messageId":"m","accountId":"1","timestamp":"2026-11-20T09:00:00Z","headers":{"List-Unsubscribe":null,"List-Unsubscribe-Post":1}}""")]
    [InlineData("""{"outcome":"accepted","messageId":" ","accountId":"1","timestamp":"2026-11-20T09:00:00Z"}""")]
    [InlineData("""{"outcome":"rejected","messageId":" ","accountId":"1","timestamp":"2026-11-20T09:00:00Z"}""")]
    public void Attempt_edge_cases_read_as_the_reference_reads_them(string json) => AssertSame(attempt: true, json);

    /// <returns>True when the one-pass reader took the record (rather than leaving it to the reference).</returns>
    private static bool AssertSame(bool attempt, string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var expected = attempt ? SendAttemptParser.ParseReference(utf8) : SesEventParser.ParseReference(utf8);
        var fast = attempt ? SendAttemptFastReader.TryRead(utf8) : SesEventFastReader.TryRead(utf8);
        if (fast is not null)
        {
            Assert.True(expected.IsSuccess, $"the one-pass reader accepts what the reference refuses ({expected.Reason}): {json}");
            Assert.Equal(Serialize(expected), Serialize(ParseResult.Ok(fast)));
        }
        var actual = attempt ? new SendAttemptParser().Parse(utf8) : new SesEventParser().Parse(utf8);
        Assert.True(expected.IsSuccess == actual.IsSuccess, $"reference {(expected.IsSuccess ? "accepts" : "refuses: " + expected.Reason)}, " +
            $"parser {(actual.IsSuccess ? "accepts" : "refuses: " + actual.Reason)}: {json}");
        if (!expected.IsSuccess) Assert.Equal(expected.Reason, actual.Reason);
        else Assert.Equal(Serialize(expected), Serialize(actual));
        return fast is not null;
    }

    private static string Serialize(ParseResult r) => JsonSerializer.Serialize(r.Event!, CoreJsonContext.Default.NormalizedEvent);

    /// <summary>The record as it is, with its properties reversed, and with each property (at any depth) removed,
    /// nulled, given another type, or repeated with another value after it.</summary>
    private static IEnumerable<string> Variants(string json)
    {
        yield return json;
        var root = JsonNode.Parse(json)!.AsObject();
        yield return new JsonObject(root.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString();
        JsonNode?[] replacements = [null, 42, "", " ", "x", true, new JsonArray(), new JsonArray(1), new JsonObject(), "2026-11-20T10:00:00Z"];
        foreach (var path in Paths(root, []))
        {
            yield return Edit(root, path, (o, key) => o.Remove(key));
            foreach (var replacement in replacements)
                yield return Edit(root, path, (o, key) => o[key] = replacement?.DeepClone());
            // A repeated property: JsonObject cannot hold one, so it is written by hand (the later one wins in both readers).
            var text = root.ToJsonString();
            yield return text.Insert(1, $"\"{path[0]}\":12,");
        }
    }

    private static IEnumerable<string[]> Paths(JsonObject o, string[] prefix)
    {
        foreach (var (key, value) in o)
        {
            string[] path = [.. prefix, key];
            yield return path;
            if (value is JsonObject child) foreach (var p in Paths(child, path)) yield return p;
            if (value is JsonArray { Count: > 0 } a && a[0] is JsonObject first)
                foreach (var p in Paths(first, [.. path, "0"])) yield return p;
        }
    }

    private static string Edit(JsonObject root, string[] path, Action<JsonObject, string> edit)
    {
        var copy = root.DeepClone().AsObject();
        JsonNode node = copy;
        foreach (var step in path[..^1]) node = step == "0" && node is JsonArray a ? a[0]! : node[step]!;
        edit(node.AsObject(), path[^1]);
        return copy.ToJsonString();
    }
}

/// <summary>Event keys are stored (the trace table deduplicates on them), so they must not change from one version to the next.</summary>
public sealed class EventKeyStabilityTests
{
    [Theory]
    [MemberData(nameof(FastReaderEquivalenceTests.SampleNames), MemberType = typeof(FastReaderEquivalenceTests))]
    public void A_hashed_key_is_the_xxhash64_of_the_event_text_it_always_was(string sample)
    {
        var parsed = sample.StartsWith("send-attempt", StringComparison.Ordinal)
            ? new SendAttemptParser().Parse(Samples.Read(sample)) : new SesEventParser().Parse(Samples.Read(sample));
        var e = parsed.Event!;
        e.AttemptId = null; // hash even the attempts
        Assert.Equal(KeyAsFirstWritten(e), EventKeys.For(e, feedbackId: null));
    }

    [Fact]
    public void A_known_delivery_keeps_its_key() =>
        Assert.Equal("Delivery:8ed3453e1886efc4", new SesEventParser().Parse(Samples.Read("delivery.json")).Event!.EventKey);

    /// <summary>The first implementation, word for word: the text, then its UTF-8 bytes, hashed.</summary>
    private static string KeyAsFirstWritten(Model.NormalizedEvent e)
    {
        var kind = e.Kind.ToString();
        var sb = new StringBuilder(kind).Append('|').Append(e.MessageId).Append('|').Append(e.AccountId).Append('|').Append(e.TimestampMs);
        foreach (var r in e.Recipients) sb.Append('|').Append(r.Email);
        if (e.Kind == Model.EventKind.Attempt) foreach (var d in e.Destinations) sb.Append('|').Append(d);
        sb.Append('|').Append(e.ErrorCode).Append('|').Append(e.Detail);
        return $"{kind}:{System.IO.Hashing.XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(sb.ToString())):x16}";
    }
}
