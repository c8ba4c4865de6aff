using System.Net;
using System.Net.Sockets;

namespace ReputationMonitor.Tests.Support;

/// <summary>
/// A TCP forwarder in front of a real server, to take the server away from one service instance (refused and
/// reset connections, as when it is down) without stopping it for the other tests that share it.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _cts = new();

    public int Port { get; }

    public TcpProxy(string targetHost, int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Parse(targetHost), targetPort);
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Start();
    }

    private void Start()
    {
        _cts = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptLoop(_listener, _cts.Token);
    }

    private async Task AcceptLoop(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(ct); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            var server = new TcpClient();
            try { await server.ConnectAsync(_target, ct); }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }
            lock (_open) _open.AddRange([client, server]);
            _ = Pump(client, server, ct);
            _ = Pump(server, client, ct);
        }
    }

    private static async Task Pump(TcpClient from, TcpClient to, CancellationToken ct)
    {
        try { await from.GetStream().CopyToAsync(to.GetStream(), ct); }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException) { }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    /// <summary>The server "goes down": open connections are reset and new ones refused.</summary>
    public void Cut()
    {
        _cts.Cancel();
        _listener?.Stop();
        lock (_open)
        {
            foreach (var c in _open)
            {
                try { c.Client?.LingerState = new LingerOption(true, 0); } // reset, not a graceful close
                catch (Exception e) when (e is SocketException or ObjectDisposedException) { } // already closed by its pump
                c.Dispose();
            }
            _open.Clear();
        }
    }

    /// <summary>The server is back on the same address.</summary>
    public void Restore() => Start();

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
