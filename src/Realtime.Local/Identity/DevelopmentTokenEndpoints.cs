using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Local.Identity;
using Realtime.Local.Identity.Internal;

namespace Microsoft.AspNetCore.Builder;

public static class DevelopmentTokenEndpoints
{
    private const long MaximumBodyBytes = 16 * 1024;

    /// <summary>
    /// Maps <c>GET /dev/.well-known/jwks.json</c> (the signing key) and <c>POST /dev/token</c>, which mints a token for
    /// a JSON body <c>{"sub":"alice","username":"alice","groups":["admins"],"expiresIn":3600}</c> or for
    /// <c>?user=alice&amp;groups=admins,editors</c> and answers <c>{"token":"...","expiresIn":3600}</c>; a bad request
    /// gets 400 <c>{"error":"invalid_request","message":"..."}</c>. Needs <c>AddDevelopmentTokens()</c>.
    /// </summary>
    public static RouteGroupBuilder MapDevelopmentTokens(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(DevelopmentTokenIssuer.PathPrefix);

        group.MapGet("/.well-known/jwks.json", (DevelopmentTokenIssuer issuer) =>
            Results.Json(issuer.Jwks(), IdentityJsonContext.Default.JsonWebKeySetDocument));

        group.MapPost("/token", MintAsync);
        return group;
    }

    private static async Task<IResult> MintAsync(HttpContext context, DevelopmentTokenIssuer issuer)
    {
        var request = await ReadRequestAsync(context.Request, context.RequestAborted);
        if (request.Error is { } error) return BadRequest(error);

        if (issuer.Validate(request.Value!) is { } problem) return BadRequest(problem);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(issuer.Mint(request.Value!), IdentityJsonContext.Default.DevelopmentTokenResponse);
    }

    private static async Task<(DevelopmentTokenRequest? Value, string? Error)> ReadRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaximumBodyBytes;

        using var body = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(body, cancellationToken);
        }
        catch (BadHttpRequestException)
        {
            return (null, $"The body must be at most {MaximumBodyBytes} bytes.");
        }

        var query = request.Query;
        var hasQuery = query.ContainsKey("user") || query.ContainsKey("groups") || query.ContainsKey("expiresIn");
        var hasBody = body.Length > 0 && body.ToArray().Any(b => !char.IsWhiteSpace((char)b));

        if (hasBody && hasQuery) return (null, "Give the user either as a JSON body or as ?user=, not both.");
        if (hasBody) return FromJson(body.ToArray());
        if (hasQuery) return FromQuery(query);
        return (null, "Give the user as a JSON body {\"sub\":\"alice\",\"username\":\"alice\",\"groups\":[\"admins\"]} or as ?user=alice.");
    }

    private static (DevelopmentTokenRequest?, string?) FromJson(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, IdentityJsonContext.Default.DevelopmentTokenRequest) is { } parsed
                ? (parsed, null)
                : (null, "The body must be a JSON object.");
        }
        catch (JsonException exception)
        {
            return (null, $"The body is not a valid token request: {exception.Message}");
        }
    }

    private static (DevelopmentTokenRequest?, string?) FromQuery(IQueryCollection query)
    {
        int? expiresIn = null;
        if (query.TryGetValue("expiresIn", out var lifetime))
        {
            if (!int.TryParse(lifetime.ToString(), out var seconds)) return (null, "\"expiresIn\" must be a whole number of seconds.");
            expiresIn = seconds;
        }

        var user = query["user"].ToString();
        var groups = query.TryGetValue("groups", out var list)
            ? list.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : null;
        return (new DevelopmentTokenRequest { Sub = user, Username = user.Length > 0 ? user : null, Groups = groups, ExpiresIn = expiresIn }, null);
    }

    private static IResult BadRequest(string message) =>
        Results.Json(DevelopmentTokenError.InvalidRequest(message), IdentityJsonContext.Default.DevelopmentTokenError, statusCode: StatusCodes.Status400BadRequest);
}
