using System.Globalization;
using System.Text.Json;

namespace Realtime.Local.Template;

/// <summary>
/// Reads a SAM / CloudFormation JSON template: the WebSocket <c>AWS::ApiGatewayV2::Api</c>, its routes, AWS_PROXY
/// integrations, REQUEST authorizers and route responses, and the functions they invoke. Everything the emulator
/// cannot honour is a <see cref="TemplateException"/> with a sentence that names the resource at fault.
/// </summary>
public static class TemplateReader
{
    public static ApiDefinition ReadFile(string path, TemplateContext context)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TemplateException($"Cannot read the template {path}: {e.Message}");
        }
        return Read(json, context, path);
    }

    public static ApiDefinition Read(string json, TemplateContext context, string source = "template")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new TemplateException($"{source} is not a JSON template (only JSON is read): {e.Message}");
        }

        using (document)
        {
            return new Reader(document.RootElement, context, source).Read();
        }
    }

    internal static string? TypeOf(JsonElement resource) =>
        resource.ValueKind == JsonValueKind.Object && resource.TryGetProperty("Type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;

    private sealed class Reader
    {
        private readonly JsonElement _root;
        private readonly string _source;
        private readonly Dictionary<string, JsonElement> _resources = new(StringComparer.Ordinal);
        private readonly TemplateValues _values;
        private readonly List<string> _warnings = [];
        private readonly TemplateContext _context;

        public Reader(JsonElement root, TemplateContext context, string source)
        {
            _root = root;
            _source = source;
            _context = context;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Resources", out var resources) || resources.ValueKind != JsonValueKind.Object)
            {
                throw new TemplateException($"{source} has no Resources object.");
            }
            foreach (var resource in resources.EnumerateObject()) _resources[resource.Name] = resource.Value.Clone();
            _values = new TemplateValues(_resources, Parameters(root, context), context, Conditions(root));
        }

        private static Dictionary<string, JsonElement> Conditions(JsonElement root) =>
            root.TryGetProperty("Conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Object
                ? conditions.EnumerateObject().ToDictionary(c => c.Name, c => c.Value.Clone(), StringComparer.Ordinal)
                : new Dictionary<string, JsonElement>(StringComparer.Ordinal);

        private static Dictionary<string, string> Parameters(JsonElement root, TemplateContext context)
        {
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("Parameters", out var declared) && declared.ValueKind == JsonValueKind.Object)
            {
                foreach (var parameter in declared.EnumerateObject())
                {
                    if (parameter.Value.ValueKind == JsonValueKind.Object && parameter.Value.TryGetProperty("Default", out var value))
                    {
                        parameters[parameter.Name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                    }
                }
            }
            foreach (var (name, value) in context.ParameterOverrides ?? new Dictionary<string, string>()) parameters[name] = value;
            return parameters;
        }

        public ApiDefinition Read()
        {
            var (apiId, api) = FindApi();
            var properties = Properties(apiId, api);
            var routeSelection = properties.TryGetProperty("RouteSelectionExpression", out var rse)
                ? _values.Resolve(rse, $"{apiId}.RouteSelectionExpression")
                : throw new TemplateException($"{_source}: the API {apiId} has no RouteSelectionExpression (required for WebSocket APIs).");
            if (properties.TryGetProperty("ApiKeySelectionExpression", out var apiKeySelection)
                && _values.TryResolve(apiKeySelection, apiId) is { } keySelection && keySelection != "$request.header.x-api-key")
            {
                _warnings.Add($"{apiId}: ApiKeySelectionExpression {keySelection} is not emulated; API keys are read from the x-api-key header.");
            }

            var functions = ReadFunctions();
            var twoWayRoutes = ReadRouteResponses(apiId);
            var routes = new Dictionary<string, RouteDefinition>(StringComparer.Ordinal);
            var used = new HashSet<string>(StringComparer.Ordinal);

            foreach (var (id, resource) in OfType("AWS::ApiGatewayV2::Route"))
            {
                var route = Properties(id, resource);
                if (!BelongsTo(route, apiId)) continue;
                var key = route.TryGetProperty("RouteKey", out var routeKey)
                    ? _values.Resolve(routeKey, $"{id}.RouteKey")
                    : throw new TemplateException($"{_source}: route {id} has no RouteKey.");
                if (routes.ContainsKey(key)) throw new TemplateException($"{_source}: route key '{key}' is defined twice (route {id}).");

                var integrationId = Target(id, route);
                var (functionName, timeout) = ReadIntegration(integrationId, id);
                var authorizer = ReadAuthorization(id, key, route);
                var apiKeyRequired = route.TryGetProperty("ApiKeyRequired", out var required)
                    && _values.Resolve(required, $"{id}.ApiKeyRequired").Equals("true", StringComparison.OrdinalIgnoreCase);
                if (apiKeyRequired && key != "$connect")
                {
                    _warnings.Add($"{id}: ApiKeyRequired is checked on $connect only, as API Gateway does for WebSocket APIs.");
                }
                if (!functions.ContainsKey(functionName)) throw new TemplateException($"{_source}: route '{key}' ({id}) invokes {functionName}, which is not a function with a Handler in the template.");
                if (authorizer is not null && !functions.ContainsKey(authorizer.FunctionName))
                {
                    throw new TemplateException($"{_source}: authorizer {authorizer.Name} invokes {authorizer.FunctionName}, which is not a function with a Handler in the template.");
                }

                routes[key] = new RouteDefinition(key, functionName, twoWayRoutes.Contains(id), authorizer, apiKeyRequired && key == "$connect", timeout);
                used.Add(functionName);
                if (authorizer is not null) used.Add(authorizer.FunctionName);
            }

            if (routes.Count == 0) throw new TemplateException($"{_source}: the API {apiId} has no AWS::ApiGatewayV2::Route resources.");

            var usedFunctions = functions.Where(f => used.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
            return new ApiDefinition(routeSelection, routes, usedFunctions) { Warnings = _warnings };
        }

        private (string Id, JsonElement Resource) FindApi()
        {
            var apis = OfType("AWS::ApiGatewayV2::Api")
                .Where(api => Properties(api.Id, api.Resource).TryGetProperty("ProtocolType", out var protocol)
                    && string.Equals(_values.TryResolve(protocol, api.Id), "WEBSOCKET", StringComparison.OrdinalIgnoreCase))
                .ToList();
            return apis.Count switch
            {
                0 => throw new TemplateException($"{_source} defines no AWS::ApiGatewayV2::Api with ProtocolType WEBSOCKET."),
                1 => apis[0],
                _ => throw new TemplateException($"{_source} defines {apis.Count} WebSocket APIs ({string.Join(", ", apis.Select(a => a.Id))}); the local host emulates one."),
            };
        }

        /// <summary>A resource without ApiId, or whose ApiId cannot be resolved, is taken to belong to the one API.</summary>
        private bool BelongsTo(JsonElement properties, string apiId) =>
            !properties.TryGetProperty("ApiId", out var owner) || _values.TryResolve(owner, apiId) is not { } id || id == _context.ApiId;

        private Dictionary<string, FunctionDefinition> ReadFunctions()
        {
            var globals = _root.TryGetProperty("Globals", out var g) && g.TryGetProperty("Function", out var gf) ? gf : default;
            var functions = new Dictionary<string, FunctionDefinition>(StringComparer.Ordinal);
            foreach (var (id, resource) in _resources)
            {
                var type = TypeOf(resource);
                if (type is not ("AWS::Serverless::Function" or "AWS::Lambda::Function")) continue;
                var properties = Properties(id, resource);
                var isSam = type == "AWS::Serverless::Function";

                var handlerElement = properties.TryGetProperty("Handler", out var h) ? h
                    : isSam && globals.ValueKind == JsonValueKind.Object && globals.TryGetProperty("Handler", out var gh) ? gh
                    : default;
                if (handlerElement.ValueKind == JsonValueKind.Undefined) continue;
                var handler = _values.Resolve(handlerElement, $"{id}.Handler");

                var timeoutElement = properties.TryGetProperty("Timeout", out var t) ? t
                    : isSam && globals.ValueKind == JsonValueKind.Object && globals.TryGetProperty("Timeout", out var gt) ? gt
                    : default;
                TimeSpan? timeout = timeoutElement.ValueKind == JsonValueKind.Undefined
                    ? null
                    : TimeSpan.FromSeconds(double.Parse(_values.Resolve(timeoutElement, $"{id}.Timeout"), CultureInfo.InvariantCulture));

                var environment = new Dictionary<string, string>(StringComparer.Ordinal);
                if (isSam && globals.ValueKind == JsonValueKind.Object) AddVariables(environment, globals, $"Globals.Function");
                AddVariables(environment, properties, id);
                functions[id] = new FunctionDefinition(id, handler, timeout, environment);
            }
            return functions;
        }

        private void AddVariables(Dictionary<string, string> environment, JsonElement properties, string where)
        {
            if (!properties.TryGetProperty("Environment", out var env) || !env.TryGetProperty("Variables", out var variables) || variables.ValueKind != JsonValueKind.Object)
            {
                return;
            }
            foreach (var variable in variables.EnumerateObject())
            {
                if (_values.TryResolve(variable.Value, $"{where}.Environment.{variable.Name}") is { } value) environment[variable.Name] = value;
                else _warnings.Add($"{where}: environment variable {variable.Name} has a value that cannot be resolved locally; it is left unset.");
            }
        }

        private HashSet<string> ReadRouteResponses(string apiId)
        {
            var twoWay = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (id, resource) in OfType("AWS::ApiGatewayV2::RouteResponse"))
            {
                var properties = Properties(id, resource);
                if (!BelongsTo(properties, apiId)) continue;
                var key = properties.TryGetProperty("RouteResponseKey", out var k) ? _values.Resolve(k, $"{id}.RouteResponseKey") : null;
                if (key != "$default")
                {
                    _warnings.Add($"{id}: only the $default route response key exists for WebSocket APIs; '{key}' is ignored.");
                    continue;
                }
                if (!properties.TryGetProperty("RouteId", out var routeId)) throw new TemplateException($"{_source}: route response {id} has no RouteId.");
                twoWay.Add(_values.Resolve(routeId, $"{id}.RouteId"));
            }
            return twoWay;
        }

        private string Target(string routeId, JsonElement route)
        {
            if (!route.TryGetProperty("Target", out var targetElement))
            {
                throw new TemplateException($"{_source}: route {routeId} has no Target; every route needs an integration.");
            }
            var target = _values.Resolve(targetElement, $"{routeId}.Target");
            const string prefix = "integrations/";
            var integrationId = target.StartsWith(prefix, StringComparison.Ordinal) ? target[prefix.Length..] : target;
            if (!_resources.TryGetValue(integrationId, out var integration) || TypeOf(integration) != "AWS::ApiGatewayV2::Integration")
            {
                throw new TemplateException($"{_source}: route {routeId} targets '{target}', which is not an AWS::ApiGatewayV2::Integration in the template.");
            }
            return integrationId;
        }

        private (string Function, TimeSpan? Timeout) ReadIntegration(string id, string routeId)
        {
            var properties = Properties(id, _resources[id]);
            var type = properties.TryGetProperty("IntegrationType", out var t) ? _values.Resolve(t, $"{id}.IntegrationType") : null;
            if (!string.Equals(type, "AWS_PROXY", StringComparison.OrdinalIgnoreCase))
            {
                throw new TemplateException($"{_source}: integration {id} (route {routeId}) is {type ?? "untyped"}; only AWS_PROXY Lambda integrations are emulated.");
            }
            if (!properties.TryGetProperty("IntegrationUri", out var uri)) throw new TemplateException($"{_source}: integration {id} has no IntegrationUri.");
            var function = FunctionOf(_values.Resolve(uri, $"{id}.IntegrationUri"), id);
            TimeSpan? timeout = properties.TryGetProperty("TimeoutInMillis", out var ms)
                ? TimeSpan.FromMilliseconds(double.Parse(_values.Resolve(ms, $"{id}.TimeoutInMillis"), CultureInfo.InvariantCulture))
                : null;
            return (function, timeout);
        }

        private AuthorizerDefinition? ReadAuthorization(string routeId, string key, JsonElement route)
        {
            var type = route.TryGetProperty("AuthorizationType", out var t) ? _values.Resolve(t, $"{routeId}.AuthorizationType").ToUpperInvariant() : "NONE";
            switch (type)
            {
                case "NONE":
                    return null;
                case "AWS_IAM":
                    _warnings.Add($"{routeId}: AWS_IAM authorization is not checked locally; the route is open.");
                    return null;
                case "CUSTOM":
                    break;
                default:
                    throw new TemplateException($"{_source}: route {routeId} has AuthorizationType {type}; WebSocket APIs support NONE, AWS_IAM and CUSTOM.");
            }
            if (key != "$connect")
            {
                _warnings.Add($"{routeId}: authorization applies to $connect only; the authorizer on '{key}' is ignored.");
                return null;
            }
            if (!route.TryGetProperty("AuthorizerId", out var authorizerIdElement)) throw new TemplateException($"{_source}: route {routeId} is CUSTOM but has no AuthorizerId.");
            var authorizerId = _values.Resolve(authorizerIdElement, $"{routeId}.AuthorizerId");
            if (!_resources.TryGetValue(authorizerId, out var authorizer) || TypeOf(authorizer) != "AWS::ApiGatewayV2::Authorizer")
            {
                throw new TemplateException($"{_source}: route {routeId} names authorizer '{authorizerId}', which is not an AWS::ApiGatewayV2::Authorizer.");
            }

            var properties = Properties(authorizerId, authorizer);
            var authorizerType = properties.TryGetProperty("AuthorizerType", out var at) ? _values.Resolve(at, authorizerId) : null;
            if (!string.Equals(authorizerType, "REQUEST", StringComparison.OrdinalIgnoreCase))
            {
                throw new TemplateException($"{_source}: authorizer {authorizerId} is {authorizerType ?? "untyped"}; WebSocket APIs use REQUEST authorizers.");
            }
            if (!properties.TryGetProperty("AuthorizerUri", out var uri)) throw new TemplateException($"{_source}: authorizer {authorizerId} has no AuthorizerUri.");
            var function = FunctionOf(_values.Resolve(uri, $"{authorizerId}.AuthorizerUri"), authorizerId);
            return new AuthorizerDefinition(authorizerId, function, IdentitySources(authorizerId, properties));
        }

        private List<IdentitySource> IdentitySources(string authorizerId, JsonElement properties)
        {
            var sources = new List<IdentitySource>();
            if (!properties.TryGetProperty("IdentitySource", out var element)) return sources;

            IEnumerable<string> texts = element.ValueKind == JsonValueKind.Array
                ? element.EnumerateArray().Select(e => _values.Resolve(e, $"{authorizerId}.IdentitySource"))
                : _values.Resolve(element, $"{authorizerId}.IdentitySource").Split(',');
            foreach (var raw in texts)
            {
                var text = raw.Trim();
                if (text.Length == 0) continue;
                sources.Add(ParseIdentitySource(text, authorizerId));
            }
            return sources;
        }

        private IdentitySource ParseIdentitySource(string text, string authorizerId)
        {
            var value = text.StartsWith('$') ? text[1..] : text;
            (string Prefix, IdentitySourceKind Kind)[] forms =
            [
                ("route.request.header.", IdentitySourceKind.Header),
                ("route.request.querystring.", IdentitySourceKind.QueryString),
                ("request.header.", IdentitySourceKind.Header),
                ("request.querystring.", IdentitySourceKind.QueryString),
                ("stageVariables.", IdentitySourceKind.StageVariable),
                ("context.", IdentitySourceKind.Context),
            ];
            foreach (var (prefix, kind) in forms)
            {
                if (value.StartsWith(prefix, StringComparison.Ordinal) && value.Length > prefix.Length) return new IdentitySource(kind, value[prefix.Length..]);
            }
            throw new TemplateException($"{_source}: authorizer {authorizerId} has identity source '{text}'; expected route.request.header.NAME, route.request.querystring.NAME, stageVariables.NAME or context.NAME.");
        }

        private string FunctionOf(string uri, string where)
        {
            // arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/arn:aws:lambda:{region}:{account}:function:{name}/invocations
            const string marker = ":function:";
            var index = uri.IndexOf(marker, StringComparison.Ordinal);
            var name = uri;
            if (index >= 0)
            {
                name = uri[(index + marker.Length)..];
                var end = name.IndexOfAny(['/', ':']);
                if (end >= 0) name = name[..end];
            }
            if (_resources.TryGetValue(name, out var resource) && TypeOf(resource) is "AWS::Serverless::Function" or "AWS::Lambda::Function") return name;

            foreach (var (id, candidate) in _resources)
            {
                if (TypeOf(candidate) is "AWS::Serverless::Function" or "AWS::Lambda::Function"
                    && candidate.TryGetProperty("Properties", out var p) && p.TryGetProperty("FunctionName", out var fn)
                    && _values.TryResolve(fn, id) == name)
                {
                    return id;
                }
            }
            throw new TemplateException($"{_source}: {where} invokes '{uri}', which does not name a function of the template.");
        }

        private IEnumerable<(string Id, JsonElement Resource)> OfType(string type) =>
            _resources.Where(r => TypeOf(r.Value) == type).Select(r => (r.Key, r.Value));

        private JsonElement Properties(string id, JsonElement resource) =>
            resource.TryGetProperty("Properties", out var properties) && properties.ValueKind == JsonValueKind.Object
                ? properties
                : throw new TemplateException($"{_source}: resource {id} has no Properties.");
    }
}
