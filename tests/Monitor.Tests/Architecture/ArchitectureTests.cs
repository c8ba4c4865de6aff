using System.Reflection;
using System.Text.RegularExpressions;

namespace ReputationMonitor.Tests.Architecture;

/// <summary>
/// The house rules that keep the engine findable: the domain core and the engine know no Kafka client, SQL or HTTP, and
/// the product's namespaces form no cycle (each can be read without reading the ones that use it).
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string[] Infrastructure =
        ["Confluent.Kafka", "Streamiz.Kafka.Net", "Npgsql", "Dapper", "dbup", "Microsoft.AspNetCore", "CsvHelper", "System.CommandLine"];

    [Theory]
    [InlineData(typeof(Core.Model.NormalizedEvent))]
    [InlineData(typeof(Engine.Processing.ReputationEngine))]
    public void The_core_and_the_engine_reference_no_kafka_sql_or_http(Type anchor)
    {
        var references = anchor.Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        var offending = references.Where(r => Infrastructure.Any(i => r.StartsWith(i, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(offending.Count == 0, $"{anchor.Assembly.GetName().Name} references {string.Join(", ", offending)}");
        Assert.DoesNotContain(references, r => r == "monitor");
    }

    [Fact]
    public void The_product_s_namespaces_form_no_cycle()
    {
        var graph = NamespaceGraph(Path.Combine(RepositoryRoot(), "services"));
        var cycles = StronglyConnected(graph.Keys.ToList(), n => graph.TryGetValue(n, out var e) ? e.Keys : []).Where(c => c.Count > 1).ToList();
        Assert.True(cycles.Count == 0, string.Join("\n", cycles.Select(c =>
            "cycle: " + string.Join(" ↔ ", c) + "\n  " + string.Join("\n  ",
                c.SelectMany(from => graph[from].Where(e => c.Contains(e.Key)).Select(e => $"{from} → {e.Key} ({e.Value})"))))));
    }

    /// <summary>Razor components take part: their namespaces (from their folders) and what they use.</summary>
    [Fact]
    public void The_graph_holds_the_console_s_components()
    {
        var graph = NamespaceGraph(Path.Combine(RepositoryRoot(), "services"));
        Assert.Contains("ReputationMonitor.OperatorConsole.Support", graph["ReputationMonitor.OperatorConsole.Components.Pages"].Keys);
        Assert.Contains("ReputationMonitor.OperatorConsole.Components", graph["ReputationMonitor.OperatorConsole.Components.Pages"].Keys);
        Assert.DoesNotContain("ReputationMonitor.OperatorConsole.Components.Pages", graph["ReputationMonitor.OperatorConsole.Components.Shared"].Keys);
    }

    [Fact]
    public void The_cycle_check_sees_a_cycle()
    {
        var cycles = StronglyConnected(["A", "B", "C"], n => n switch { "A" => ["B"], "B" => ["A"], _ => [] });
        Assert.Contains(cycles, c => c.Count == 2 && c.Contains("A") && c.Contains("B"));
    }

    /// <summary>namespace → the namespaces it uses (by <c>using</c> directives and qualified names), each with one file that does.</summary>
    internal static Dictionary<string, Dictionary<string, string>> NamespaceGraph(string root)
    {
        static bool Source(string f) => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}");
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).Where(Source)
            .Select(f => (File: f, Text: File.ReadAllText(f), Razor: false))
            .Select(f => (f.File, f.Text, Namespace: NamespaceDeclaration().Match(f.Text).Groups[1].Value, f.Razor))
            .Concat(Directory.EnumerateFiles(root, "*.razor", SearchOption.AllDirectories).Where(Source)
                .Where(f => Path.GetFileName(f) != "_Imports.razor")
                .Select(f => (File: f, Text: RazorWithImports(f), Namespace: RazorNamespace(root, f), Razor: true)))
            .Where(f => f.Namespace.StartsWith("ReputationMonitor", StringComparison.Ordinal))
            .ToList();
        var known = files.Select(f => f.Namespace).ToHashSet();
        // A namespace sees its ancestors' types without a using directive: those uses are found by the types' names. A
        // component's type is named after its file.
        var declared = files.GroupBy(f => f.Namespace)
            .ToDictionary(g => g.Key, g => g.SelectMany(f => f.Razor ? [Path.GetFileNameWithoutExtension(f.File)]
                : TypeDeclaration().Matches(f.Text).Select(m => m.Groups[1].Value)).ToHashSet());
        var graph = new Dictionary<string, Dictionary<string, string>>();
        foreach (var (file, text, ns, razor) in files)
        {
            var edges = graph.TryGetValue(ns, out var e) ? e : graph[ns] = [];
            var code = Comments().Replace(text, "");
            var words = Word().Matches(UsingDirective().Replace(code, "")).Select(m => m.Value).ToHashSet();
            // A component's @using lines are mostly _Imports.razor's, there for every component: one counts where the
            // component names a type of that namespace.
            var usings = UsingDirective().Matches(code).Select(m => m.Groups[1].Value)
                .Where(u => !razor || (declared.TryGetValue(u, out var types) && types.Overlaps(words)));
            var body = UsingDirective().Replace(code, "");
            var used = usings
                .Concat(QualifiedName().Matches(body).Select(m => Longest(known, "ReputationMonitor." + m.Groups[1].Value)))
                .Concat(FullyQualifiedName().Matches(body).Select(m => Longest(known, m.Groups[1].Value)));
            var ancestors = known.Where(a => a != "ReputationMonitor" && ns.StartsWith(a + ".", StringComparison.Ordinal)
                && declared[a].Overlaps(words)).Select(a => (string?)a);
            foreach (var a in ancestors.OfType<string>()) edges.TryAdd(a, Path.GetRelativePath(root, file));
            foreach (var target in used.OfType<string>().Where(known.Contains))
                if (target != ns && !ns.StartsWith(target + ".", StringComparison.Ordinal))
                    edges.TryAdd(target, Path.GetRelativePath(root, file));
        }
        return graph;
    }

    /// <summary>A component's namespace: the project's root namespace and the component's folder.</summary>
    private static string RazorNamespace(string root, string file)
    {
        var project = Path.GetDirectoryName(file)!;
        while (!Directory.EnumerateFiles(project, "*.csproj").Any()) project = Path.GetDirectoryName(project)!;
        var rootNamespace = RootNamespace().Match(File.ReadAllText(Directory.EnumerateFiles(project, "*.csproj").First())).Groups[1].Value;
        var folder = Path.GetRelativePath(project, Path.GetDirectoryName(file)!);
        return folder == "." ? rootNamespace : rootNamespace + "." + folder.Replace(Path.DirectorySeparatorChar, '.');
    }

    /// <summary>A component with the _Imports.razor of its folder and the folders above it, its @using lines as C# usings.</summary>
    private static string RazorWithImports(string file)
    {
        var text = new System.Text.StringBuilder(File.ReadAllText(file));
        for (var dir = Path.GetDirectoryName(file); dir is not null && !Directory.EnumerateFiles(dir, "*.csproj").Any(); dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "_Imports.razor"))) text.Append('\n').Append(File.ReadAllText(Path.Combine(dir, "_Imports.razor")));
        return RazorUsing().Replace(text.ToString(), "using $1;");
    }

    [GeneratedRegex(@"<RootNamespace>([\w.]+)</RootNamespace>")]
    private static partial Regex RootNamespace();

    [GeneratedRegex(@"^\s*@using\s+([\w.]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex RazorUsing();

    /// <summary>The longest known namespace that <paramref name="qualified"/> starts with.</summary>
    private static string? Longest(HashSet<string> known, string qualified)
    {
        for (var name = qualified; name.Length > 0; name = name.LastIndexOf('.') is var i and > 0 ? name[..i] : "")
            if (known.Contains(name)) return name;
        return null;
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    internal static List<List<string>> StronglyConnected(IReadOnlyList<string> nodes, Func<string, IEnumerable<string>> edges)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in edges(v))
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            } while (x != v);
            result.Add(component);
        }
        foreach (var n in nodes)
            if (!index.ContainsKey(n)) Visit(n);
        return result;
    }

    private static string RepositoryRoot() => Support.Repository.Root;

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^\s*using\s+(?:static\s+)?(ReputationMonitor[\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    /// <summary>A name qualified from the product's root inside it (<c>Core.Rules.Decision</c>, <c>Configuration.KafkaOptions</c>).</summary>
    [GeneratedRegex(@"(?<![\w.""])((?:Core|Engine|Api|Cli|Configuration|Hosting|Kafka|Observability|OperatorConsole|Persistence|PartitionRuntime|StreamizRuntime|Simulation)(?:\.[A-Z]\w*)+)")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"(?<![\w.""])(ReputationMonitor(?:\.[A-Z]\w*)+)")]
    private static partial Regex FullyQualifiedName();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(\w+)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Word();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex Comments();
}
