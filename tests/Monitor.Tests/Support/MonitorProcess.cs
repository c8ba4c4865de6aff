using System.Diagnostics;

namespace ReputationMonitor.Tests.Support;

/// <summary>Runs the built <c>monitor</c> executable as a child process, as a user would.</summary>
public sealed class MonitorProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _stdout = new(), _stderr = new();

    /// <param name="onTerminal">Run it on a pseudo-terminal (util-linux <c>script</c>), as a person at a terminal does.</param>
    public MonitorProcess(string args, string? stdin = null, bool onTerminal = false)
    {
        var info = new ProcessStartInfo(onTerminal ? "script" : "dotnet", onTerminal ? "" : $"\"{MonitorDll}\" {args}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        if (onTerminal)
        {
            foreach (var a in new[] { "-qfec", $"dotnet \"{MonitorDll}\" {args}", "/dev/null" }) info.ArgumentList.Add(a);
            info.Environment.Remove("DOTNET_RUNNING_IN_CONTAINER"); // a person's terminal, even when the suite runs in a container
            info.Environment.Remove("MONITOR_LOG_FORMAT");
        }
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (stdin is not null)
        {
            _process.StandardInput.Write(stdin);
            _process.StandardInput.Close();
        }
    }

    /// <summary>
    /// <c>monitor run</c> as a child process with the given configuration on a free port; returns once /readyz is
    /// green, with a client that presents <paramref name="key"/>.
    /// </summary>
    public static async Task<(MonitorProcess Process, HttpClient Client)> RunServiceAsync(Dictionary<string, string?> settings, string key,
        bool onTerminal = false)
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        settings = new(settings) { ["Api:Url"] = $"http://127.0.0.1:{port}" };
        var process = new MonitorProcess("run " + string.Join(' ', settings.Select(s => $"\"--{s.Key}={s.Value}\"")), onTerminal: onTerminal);
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        try
        {
            await Poll.UntilAsync(async () =>
                {
                    try { return (await client.GetAsync("/readyz")).StatusCode; }
                    catch (HttpRequestException) { return System.Net.HttpStatusCode.ServiceUnavailable; } // not listening yet
                },
                s => s == System.Net.HttpStatusCode.OK, TimeSpan.FromSeconds(90), "the service process to become ready");
        }
        catch (TimeoutException e)
        {
            process.Dispose();
            throw new TimeoutException($"{e.Message}\nstdout:\n{Tail(process.Stdout)}\nstderr:\n{Tail(process.Stderr)}", e);
        }
        return (process, client);
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : text[^3000..];

    /// <summary><c>monitor dev-broker</c> in its own process; returns once it has written its bootstrap address.</summary>
    public static async Task<(MonitorProcess Process, string Address)> StartDevBrokerAsync()
    {
        var addressFile = Path.Combine(Directory.CreateTempSubdirectory("monitor-broker-").FullName, "broker.addr");
        var broker = new MonitorProcess($"dev-broker --address-file \"{addressFile}\"");
        var address = await Poll.UntilAsync(() => Task.FromResult(File.Exists(addressFile) ? File.ReadAllText(addressFile).Trim() : ""),
            a => a.Length > 0, TimeSpan.FromSeconds(30), "the dev broker's address file");
        return (broker, address);
    }

    /// <summary>SIGKILL: no shutdown, no final commit, no leaving the group.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public async Task<int> WaitAsync(TimeSpan deadline)
    {
        using var cts = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the output handlers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    /// <summary>The monitor built in the same configuration as these tests.</summary>
    public static string MonitorDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
            var path = Path.Combine(Repository.Root, "services", "Monitor", "bin", configuration, "net10.0", "monitor.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("build the solution first", path);
        }
    }
}
