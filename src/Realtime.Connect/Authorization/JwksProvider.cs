using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using Realtime.Connect.Authorization.Internal;

namespace Realtime.Connect.Authorization;

/// <summary>
/// The issuer's signing keys, fetched from its JWKS address and cached. The keys are fetched again when they are older
/// than <see cref="AuthorizerOptions.JwksMaxAge"/>, and when a token names an unknown <c>kid</c> (key rotation), at
/// most once per <see cref="AuthorizerOptions.JwksRefreshInterval"/>. One instance is shared by every invocation of a
/// warm function (and by every connection of the local host), so a connect does not cost a fetch.
/// </summary>
public sealed class JwksProvider
{
    private readonly Uri _address;
    private readonly HttpClient _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly AuthorizerOptions _options;
    private readonly SemaphoreSlim _fetchLock = new(1, 1);

    private volatile SigningKeySet? _keys;
    private DateTimeOffset? _lastAttempt;

    public JwksProvider(AuthorizerOptions options, HttpClient httpClient, TimeProvider timeProvider, ILogger<JwksProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _address = options.ResolveJwksUrl();
        _httpClient = httpClient ?? throw new ArgumentNullException(nameof(httpClient));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public Uri Address => _address;

    /// <summary>
    /// The RSA key published under <paramref name="keyId"/>, or null when the issuer does not publish it. Throws
    /// <see cref="JwksUnavailableException"/> when no keys could be fetched at all.
    /// </summary>
    public async ValueTask<SecurityKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);

        var keys = _keys;
        if (keys is not null && !IsStale(keys) && keys.TryFind(keyId, out var cached)) return cached;

        await _fetchLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have fetched while this one waited.
            keys = _keys;
            if (keys is not null && !IsStale(keys) && keys.TryFind(keyId, out cached)) return cached;

            if (keys is null || IsStale(keys) || MayRefreshForUnknownKey())
            {
                keys = await FetchAsync(keys, cancellationToken).ConfigureAwait(false);
            }
            return keys.TryFind(keyId, out var found) ? found : null;
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    private bool IsStale(SigningKeySet keys) => _timeProvider.GetUtcNow() - keys.FetchedAt >= _options.JwksMaxAge;

    private bool MayRefreshForUnknownKey() =>
        _lastAttempt is not { } last || _timeProvider.GetUtcNow() - last >= _options.JwksRefreshInterval;

    private async Task<SigningKeySet> FetchAsync(SigningKeySet? previous, CancellationToken cancellationToken)
    {
        _lastAttempt = _timeProvider.GetUtcNow();
        try
        {
            using var timeout = new CancellationTokenSource(_options.JwksFetchTimeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            using var response = await _httpClient.GetAsync(_address, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new JwksUnavailableException($"The JWKS address {_address} answered {(int)response.StatusCode}.");
            }

            var json = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            var keys = JwksDocument.Parse(json, _timeProvider.GetUtcNow(), out var skipped);
            JwksLog.KeysFetched(_logger, _address, keys.Count, skipped);
            _keys = keys;
            return keys;
        }
        catch (Exception exception) when (exception is HttpRequestException or JwksUnavailableException or FormatException
                                          or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            JwksLog.FetchFailed(_logger, _address, exception);
            // Keys that were good a moment ago are better than none while the issuer is unreachable.
            if (previous is not null) return previous;
            throw exception as JwksUnavailableException ?? new JwksUnavailableException($"The signing keys could not be fetched from {_address}.", exception);
        }
    }
}
