using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Classification;

/// <summary>The provider a response comes from, as <c>monitor classify</c> reports it: the deciding rule's provider, else
/// names, hosts and codes in the text (<see cref="ProviderDirectory.FromSignature"/>), else <c>other</c>.</summary>
public static class ResponseProvider
{
    public static string Of(SmtpClassification c, string response, ProviderDirectory providers) =>
        c.Provider ?? (providers.FromSignature(response) is { } p ? Providers.Name(p) : Providers.Name(Providers.Other));
}
