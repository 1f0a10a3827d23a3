namespace Realtime.Local.Hosting;

/// <summary>What the host prints once it listens: the URLs, the routes and their functions, and any warnings.</summary>
public static class StartupBanner
{
    public static void Write(TextWriter output, LocalGateway gateway)
    {
        var api = gateway.Api;
        output.WriteLine("Realtime local gateway");
        output.WriteLine($"  template     {gateway.TemplatePath}");
        output.WriteLine($"  WebSocket    {gateway.WebSocketUri}");
        output.WriteLine($"  SignalR hub  {gateway.HubUri}");
        output.WriteLine($"  @connections {gateway.ConnectionsUri}");
        output.WriteLine($"  demo page    {gateway.DemoUri}");
        output.WriteLine($"  dev tokens   POST {gateway.BaseUri}dev/token  {{\"sub\":\"alice\"}}");
        output.WriteLine($"  publish      POST {gateway.BaseUri}publish  (header X-Realtime-Publish-Key: {gateway.PublishKey})");
        output.WriteLine($"  routes       (selection {api.RouteSelectionExpression})");
        foreach (var route in api.Routes.Values.OrderBy(r => r.RouteKey.StartsWith('$') ? 0 : 1).ThenBy(r => r.RouteKey, StringComparer.Ordinal))
        {
            var handler = api.Functions[route.FunctionName].Handler;
            var notes = new List<string>();
            if (route.Authorizer is { } authorizer)
            {
                var sources = authorizer.IdentitySources.Count == 0 ? "no identity sources" : string.Join(", ", authorizer.IdentitySources);
                notes.Add($"authorizer {authorizer.Name} -> {api.Functions[authorizer.FunctionName].Handler} ({sources})");
            }
            if (route.TwoWay) notes.Add("two-way");
            if (route.ApiKeyRequired) notes.Add("API key required");
            output.WriteLine($"    {route.RouteKey,-14} {route.FunctionName} ({handler}){(notes.Count > 0 ? "; " + string.Join("; ", notes) : "")}");
        }
        foreach (var warning in api.Warnings) output.WriteLine($"  note: {warning}");
        output.WriteLine("Press Ctrl+C to stop.");
    }
}
