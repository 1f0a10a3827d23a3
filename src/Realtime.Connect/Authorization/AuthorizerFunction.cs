using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Realtime.Connect.Authorization.Internal;
using Realtime.Connect.Contract;
using Realtime.Connect.Hosting;
using Log = Realtime.Connect.Authorization.Internal.AuthorizerLog;

namespace Realtime.Connect.Authorization;

/// <summary>
/// The $connect REQUEST authorizer. It reads a JWT from the <c>token</c> query-string parameter or the
/// <c>Authorization</c> header, validates it (<see cref="TokenValidator"/>) and answers with an IAM policy on the
/// event's method ARN and a flat context (<see cref="AuthorizerContextKeys"/>) that API Gateway replays on every later
/// event of the connection.
/// <list type="bullet">
/// <item>valid token: Allow, principal = <c>sub</c>;</item>
/// <item>token presented but refused (expired, bad signature, wrong issuer/audience/token_use, garbage): Deny, a 403 handshake;</item>
/// <item>no token: Allow as <c>anonymous:{connectionId}</c> when anonymous connections are on, else
/// <see cref="UnauthorizedException"/> (the error <c>Unauthorized</c>), a 401 handshake;</item>
/// <item>signing keys unreachable: <see cref="JwksUnavailableException"/>, a 500 handshake.</item>
/// </list>
/// </summary>
public sealed class AuthorizerFunction
{
    // One client for the process, following no redirects: keys come from the configured address or not at all.
    private static readonly HttpClient SharedHttpClient = JwksHttpClient.Create();

    private readonly AuthorizerOptions _options;
    private readonly TokenValidator? _validator;
    private readonly ILogger _logger;
    private readonly FunctionDeadline _deadline;

    /// <summary>The Lambda constructor: options from <c>REALTIME_*</c> environment variables, logs to the console.</summary>
    public AuthorizerFunction()
        : this(FunctionEnvironment.Current)
    {
    }

    /// <summary>Everything from <paramref name="environment"/>, as Lambda would set it from the template.</summary>
    public AuthorizerFunction(FunctionEnvironment environment)
        : this(environment.Compose(static environment => AuthorizerOptions.FromEnvironment(environment.Optional).Validated()), environment.LoggerFactory, environment.CreateDeadline())
    {
    }

    private AuthorizerFunction(AuthorizerOptions options, ILoggerFactory loggerFactory, FunctionDeadline deadline)
        : this(
            options,
            options.ValidatesTokens ? new JwksProvider(options, SharedHttpClient, TimeProvider.System, loggerFactory.CreateLogger<JwksProvider>()) : null,
            TimeProvider.System,
            loggerFactory.CreateLogger(typeof(AuthorizerFunction)),
            deadline)
    {
    }

    /// <summary>
    /// The service constructor (<c>services.AddRealtimeAuthorizer(options)</c> registers all it takes). <paramref name="keys"/>
    /// is the key cache shared by every instance; it may be null only when the options name no issuer (anonymous
    /// connections only).
    /// </summary>
    [ActivatorUtilitiesConstructor]
    public AuthorizerFunction(AuthorizerOptions options, JwksProvider? keys = null, TimeProvider? timeProvider = null, ILogger<AuthorizerFunction>? logger = null, FunctionDeadline? deadline = null)
        : this(options, keys, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance, deadline ?? FunctionDeadline.None)
    {
    }

    private AuthorizerFunction(AuthorizerOptions options, JwksProvider? keys, TimeProvider timeProvider, ILogger logger, FunctionDeadline deadline)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger;
        _deadline = deadline;
        if (options.ValidatesTokens)
        {
            if (keys is null)
                throw new ArgumentNullException(nameof(keys), "An authorizer with an issuer needs a JwksProvider; register one with services.AddRealtimeAuthorizer(options).");
            if (keys.Address != options.ResolveJwksUrl())
                throw new ArgumentException($"The key cache reads {keys.Address}, not the configured {options.ResolveJwksUrl()}.", nameof(keys));
            _validator = new TokenValidator(options, keys, timeProvider);
        }
    }

    /// <summary>The Lambda entry point: an <see cref="AuthorizerEvent"/> in, an <see cref="AuthorizerResult"/> out.</summary>
    public async Task<Stream> FunctionHandler(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var authorizerEvent = await JsonSerializer.DeserializeAsync(input, ApiGatewayJsonContext.Default.AuthorizerEvent).ConfigureAwait(false)
                              ?? throw new JsonException("The authorizer event is null.");
        using var budget = _deadline.Start();
        var result = await AuthorizeAsync(authorizerEvent, budget.Token).ConfigureAwait(false);

        var output = new MemoryStream();
        await JsonSerializer.SerializeAsync(output, result, ApiGatewayJsonContext.Default.AuthorizerResult).ConfigureAwait(false);
        output.Position = 0;
        return output;
    }

    /// <summary>Decides one handshake. Throws <see cref="UnauthorizedException"/> for a 401 answer.</summary>
    public async Task<AuthorizerResult> AuthorizeAsync(AuthorizerEvent authorizerEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorizerEvent);
        var methodArn = authorizerEvent.MethodArn is { Length: > 0 } arn
            ? arn
            : throw new ArgumentException("The authorizer event has no methodArn.", nameof(authorizerEvent));
        var connectionId = authorizerEvent.RequestContext.ConnectionId;

        var token = BearerToken.Find(authorizerEvent, out var source);
        if (token is null) return Anonymous(connectionId, methodArn);

        if (_validator is null)
        {
            Log.TokenDenied(_logger, connectionId, DenyReason.NoIssuerConfigured, "no issuer configured", source);
            return AuthorizerResults.Deny(methodArn);
        }

        TokenCheck check;
        try
        {
            check = await _validator.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        }
        catch (JwksUnavailableException exception)
        {
            Log.KeysUnavailable(_logger, connectionId, exception);
            throw;
        }

        if (!check.IsValid)
        {
            Log.TokenDenied(_logger, connectionId, check.Reason, check.Detail ?? "-", source);
            return AuthorizerResults.Deny(methodArn);
        }

        var principalId = check.Token!.Subject;
        Log.TokenAccepted(_logger, connectionId, principalId, source);
        return AuthorizerResults.Allow(principalId, methodArn, ContextOf(check.Token));
    }

    private AuthorizerResult Anonymous(string? connectionId, string methodArn)
    {
        if (!_options.AllowAnonymous)
        {
            Log.TokenMissing(_logger, connectionId);
            throw new UnauthorizedException();
        }

        Log.AnonymousAllowed(_logger, connectionId);
        var principalId = AuthorizerContextKeys.AnonymousPrincipalPrefix + (connectionId ?? Guid.NewGuid().ToString("N"));
        return AuthorizerResults.Allow(principalId, methodArn, new Dictionary<string, string> { [AuthorizerContextKeys.Anonymous] = "true" });
    }

    private static Dictionary<string, string> ContextOf(JsonWebToken token)
    {
        var context = new Dictionary<string, string>(StringComparer.Ordinal) { [AuthorizerContextKeys.Anonymous] = "false" };
        if (FirstClaim(token, "cognito:username", "username", "preferred_username") is { } userName)
            context[AuthorizerContextKeys.UserName] = userName;

        var groups = token.Claims.Where(claim => claim.Type == "cognito:groups" && claim.Value.Length > 0).Select(claim => claim.Value).ToList();
        if (groups.Count > 0) context[AuthorizerContextKeys.Groups] = string.Join(',', groups);
        return context;
    }

    private static string? FirstClaim(JsonWebToken token, params ReadOnlySpan<string> types)
    {
        foreach (var type in types)
        {
            if (token.TryGetClaim(type, out var claim) && !string.IsNullOrWhiteSpace(claim.Value)) return claim.Value;
        }
        return null;
    }
}
