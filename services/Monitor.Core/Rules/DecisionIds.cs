using System.Security.Cryptography;
using System.Text;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// Deterministic decision ids: the same entity's n-th transition to the same status by the same rule
/// always gets the same id, so a replay or a retry is recognised downstream and never recorded twice.
/// </summary>
public static class DecisionIds
{
    public static string For(string scope, string entity, int sequence, string to, string rule)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{scope}\n{entity}\n{sequence}\n{to}\n{rule}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
