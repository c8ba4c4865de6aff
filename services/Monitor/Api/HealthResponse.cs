using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReputationMonitor.Api;

/// <summary>
/// Health as JSON: to anyone, only whether it is healthy; to a caller with a key, each check's status and why, so an
/// operator sees which dependency is down (error text is not for anonymous callers).
/// </summary>
public static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("status", report.Status.ToString());
            if (context.User.Identity?.IsAuthenticated != true)
            {
                w.WriteEndObject();
                w.Flush();
                return context.Response.Body.WriteAsync(stream.ToArray()).AsTask();
            }
            w.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                w.WriteStartObject(name);
                w.WriteString("status", entry.Status.ToString());
                w.WriteString("description", entry.Description);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return context.Response.Body.WriteAsync(stream.ToArray()).AsTask();
    }
}
