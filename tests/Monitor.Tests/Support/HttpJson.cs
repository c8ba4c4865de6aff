using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ReputationMonitor.Tests.Support;

public static class HttpJson
{
    /// <summary>The JSON body on 200, null otherwise (for polling a resource that does not exist yet).</summary>
    public static async Task<JsonElement?> GetOrNullAsync(this HttpClient client, string path)
    {
        var r = await client.GetAsync(path);
        return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<JsonElement>() : null;
    }
}
