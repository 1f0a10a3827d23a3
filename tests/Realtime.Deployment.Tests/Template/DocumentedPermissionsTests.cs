using Realtime.Deployment.Tests.Infrastructure;

namespace Realtime.Deployment.Tests.Template;

/// <summary>
/// The permissions table of docs/deployment.md is the template's: the same actions on the same resources for every
/// function. (That the template's are exactly what the code needs is shown by the packaged functions' session.)
/// </summary>
public sealed class DocumentedPermissionsTests
{
    [Fact]
    public async Task The_deployment_guide_lists_exactly_the_permissions_each_function_is_granted()
    {
        var documented = DocumentedPermissions();
        var transformed = await GrantedPermissions.TransformAsync(RepositoryFiles.Template, new Dictionary<string, string>());

        Assert.Equal(SamTemplate.FunctionIds(SamTemplate.Source).Order(), documented.Keys.Order());
        foreach (var (functionId, uses) in documented)
        {
            var granted = GrantedPermissions.Of(transformed, functionId).Inline;
            Assert.True(uses.SetEquals(granted),
                $"{functionId}: docs say [{string.Join(", ", uses.Select(use => use.ToString()).Order())}], the template grants [{string.Join(", ", granted.Select(use => use.ToString()).Order())}].");
        }
    }

    /// <summary>
    /// Reads the table under "## Permissions": function | on the table | on index GSI1 | ManageConnections methods |
    /// SQS actions on the queue the column's header names in backticks.
    /// </summary>
    private static Dictionary<string, HashSet<IamUse>> DocumentedPermissions()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryFiles.Root, "docs", "deployment.md"));
        var section = lines.SkipWhile(line => line != "## Permissions").Skip(1).TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal)).ToList();
        var header = Cells(section.First(line => line.StartsWith("| function |", StringComparison.Ordinal)));
        Assert.Equal(5, header.Length);
        var queue = System.Text.RegularExpressions.Regex.Match(header[4], "^SQS on `([A-Za-z0-9]+)`$").Groups[1].Value;
        Assert.True(SamTemplate.Resources(SamTemplate.Source)[queue]?["Type"]?.GetValue<string>() == "AWS::SQS::Queue", $"'{header[4]}' names no queue of the template.");

        var table = new Dictionary<string, HashSet<IamUse>>();
        foreach (var row in section.Where(line => line.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = Cells(row);
            Assert.Equal(header.Length, cells.Length);
            var uses = new HashSet<IamUse>();
            foreach (var action in Names(cells[1])) uses.Add(new IamUse($"dynamodb:{action}", "table"));
            foreach (var action in Names(cells[2])) uses.Add(new IamUse($"dynamodb:{action}", "index/GSI1"));
            foreach (var method in Names(cells[3])) uses.Add(new IamUse("execute-api:ManageConnections", $"{method} @connections"));
            foreach (var action in Names(cells[4])) uses.Add(new IamUse($"sqs:{action}", $"queue/{queue}"));
            table[cells[0].Trim('`')] = uses;
        }
        return table;
    }

    private static string[] Cells(string row) => row.Trim().Trim('|').Split('|').Select(cell => cell.Trim()).ToArray();

    private static IEnumerable<string> Names(string cell) =>
        cell.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name => name.Trim('`'));
}
