using System.Security.Cryptography;
using System.Text.Json;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// Commands change statuses and suppression lists, so the stream applies only those the API signed: HMAC-SHA256 over
/// the command's canonical JSON (its fields in declaration order, the signature left out), with a key every instance
/// shares. A record anyone else writes to the commands topic has no valid signature and goes to the DLQ.
/// </summary>
public sealed class CommandSignature
{
    /// <summary>A shorter key is refused at start-up: the key is the whole of the commands topic's authentication.</summary>
    public const int MinKeyLength = 32;

    private readonly byte[] _key;

    public CommandSignature(string key)
    {
        if (key is null || key.Length < MinKeyLength)
            throw new ArgumentException($"a command signing key must be at least {MinKeyLength} characters", nameof(key));
        _key = System.Text.Encoding.UTF8.GetBytes(key);
    }

    /// <summary>Sets <see cref="OperatorCommand.Signature"/> over the command as it now is.</summary>
    public OperatorCommand Sign(OperatorCommand command)
    {
        command.Signature = Compute(command);
        return command;
    }

    /// <summary>Whether the command carries the signature of its content under this key (compared in constant time).</summary>
    public bool IsValid(OperatorCommand command)
    {
        if (command.Signature is not { Length: 64 } given) return false;
        Span<byte> expected = stackalloc byte[32], actual = stackalloc byte[32];
        if (!TryHex(given, actual)) return false;
        Hmac(command, expected);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private string Compute(OperatorCommand command)
    {
        Span<byte> mac = stackalloc byte[32];
        Hmac(command, mac);
        return Convert.ToHexStringLower(mac);
    }

    private void Hmac(OperatorCommand command, Span<byte> destination)
    {
        var signature = command.Signature;
        command.Signature = null;
        try
        {
            HMACSHA256.HashData(_key, JsonSerializer.SerializeToUtf8Bytes(command, CommandJsonContext.Default.OperatorCommand), destination);
        }
        finally
        {
            command.Signature = signature;
        }
    }

    private static bool TryHex(string hex, Span<byte> destination) =>
        Convert.FromHexString(hex, destination, out _, out var written) == System.Buffers.OperationStatus.Done && written == destination.Length;
}

/// <summary>The command's canonical JSON, what is signed: the options of the published JSON, in a context of its own so that
/// the rules do not depend on the context of everything the core publishes.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(OperatorCommand))]
internal sealed partial class CommandJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
