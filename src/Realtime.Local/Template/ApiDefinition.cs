namespace Realtime.Local.Template;

/// <summary>
/// The WebSocket API a template describes, reduced to what the gateway emulates: the route selection expression, the
/// routes with their functions and authorizer, and the functions with their handlers and environment.
/// </summary>
public sealed record ApiDefinition(
    string RouteSelectionExpression,
    IReadOnlyDictionary<string, RouteDefinition> Routes,
    IReadOnlyDictionary<string, FunctionDefinition> Functions)
{
    /// <summary>Notes about parts of the template the emulator reads but does not enforce (printed at start-up).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One route: its key, the function of its AWS_PROXY integration, and for $connect its authorization.</summary>
/// <param name="RouteKey"><c>$connect</c>, <c>$disconnect</c>, <c>$default</c> or a custom key.</param>
/// <param name="FunctionName">The logical id of the function the integration invokes.</param>
/// <param name="TwoWay">True when a <c>$default</c> route response exists: the function's body is sent back.</param>
/// <param name="Authorizer">The REQUEST authorizer (<c>AuthorizationType: CUSTOM</c>), $connect only.</param>
/// <param name="ApiKeyRequired">Whether $connect requires an <c>x-api-key</c> header.</param>
/// <param name="IntegrationTimeout">The integration's <c>TimeoutInMillis</c>, when the template sets it.</param>
public sealed record RouteDefinition(
    string RouteKey,
    string FunctionName,
    bool TwoWay,
    AuthorizerDefinition? Authorizer,
    bool ApiKeyRequired,
    TimeSpan? IntegrationTimeout);

/// <summary>A Lambda REQUEST authorizer: its function and the request parameters that must be present to call it.</summary>
public sealed record AuthorizerDefinition(string Name, string FunctionName, IReadOnlyList<IdentitySource> IdentitySources);

/// <summary>Where an identity source is read from.</summary>
public enum IdentitySourceKind
{
    Header,
    QueryString,
    StageVariable,
    Context,
}

/// <summary>One identity source, e.g. <c>route.request.querystring.token</c> or <c>route.request.header.Auth</c>.</summary>
public readonly record struct IdentitySource(IdentitySourceKind Kind, string Name)
{
    public override string ToString() => Kind switch
    {
        IdentitySourceKind.Header => $"route.request.header.{Name}",
        IdentitySourceKind.QueryString => $"route.request.querystring.{Name}",
        IdentitySourceKind.StageVariable => $"stageVariables.{Name}",
        _ => $"context.{Name}",
    };
}

/// <summary>A function: its handler string (<c>Assembly::Namespace.Type::Method</c>), Lambda timeout and environment.</summary>
public sealed record FunctionDefinition(
    string Name,
    string Handler,
    TimeSpan? Timeout,
    IReadOnlyDictionary<string, string> Environment);
