using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using Realtime.Connect.Authorization.Internal;

namespace Realtime.Connect.Authorization;

/// <summary>
/// The issuer's signing keys, fetched from its JWKS address and cached. One instance is shared by every invocation of
/// a warm function (and by every connection of the local host), so a connect does not cost a fetch.
/// <list type="bullet">
/// <item>A handshake whose key is cached never waits for a fetch. Keys older than <see cref="AuthorizerOptions.JwksMaxAge"/>
/// keep serving while a fetch replaces them in the background, and after that fetch fails.</item>
/// <item>A handshake whose <c>kid</c> is not cached (key rotation) waits for a fetch, or for the cold start's first one.</item>
/// <item>One fetch runs at a time; every caller that needs it waits for that one.</item>
/// <item>After the first, a fetch starts at most once per <see cref="AuthorizerOptions.JwksRefreshInterval"/>, whether the
/// last one failed or brought no key for a <c>kid</c>: forged kids and a down issuer cost one fetch per interval.</item>
/// <item>With no keys at all, a handshake fails with <see cref="JwksUnavailableException"/> after at most
/// <see cref="AuthorizerOptions.JwksFetchTimeout"/>, or at once while the last failure is that recent.</item>
/// </list>
/// </summary>
public sealed class JwksProvider
{
    private readonly AuthorizerOptions _options;
    private readonly JwksFetcher _fetcher;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    private SigningKeySet? _keys;
    private DateTimeOffset? _lastFetchEnded;
    private JwksUnavailableException? _lastFailure;
    private TaskCompletionSource? _fetching;

    /// <param name="httpClient">
    /// The client keys are fetched with. It should follow no redirects (the authorizer's own clients do not); when it
    /// does, an answer from another address is refused anyway.
    /// </param>
    public JwksProvider(AuthorizerOptions options, HttpClient httpClient, TimeProvider timeProvider, ILogger<JwksProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        options.Validate();
        _options = options;
        Address = options.ResolveJwksUrl();
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _fetcher = new JwksFetcher(Address, httpClient, timeProvider, options);
    }

    public Uri Address { get; }

    /// <summary>The fetch running now, or a completed task: lets tests see a background refresh end.</summary>
    internal Task Fetching
    {
        get
        {
            lock (_gate) return _fetching?.Task ?? Task.CompletedTask;
        }
    }

    /// <summary>
    /// The RSA key published under <paramref name="keyId"/>, or null when the issuer does not publish it. Throws
    /// <see cref="JwksUnavailableException"/> when no keys could be fetched at all.
    /// </summary>
    public async ValueTask<SecurityKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);

        Task? fetch;
        lock (_gate)
        {
            if (_keys is { } keys && keys.TryFind(keyId, out var cached))
            {
                if (IsPastMaxAge(keys) && _fetching is null && FetchIsDue()) StartFetch();
                return cached;
            }

            fetch = _fetching?.Task ?? (FetchIsDue() ? StartFetch() : null);
            if (fetch is null) return _keys is null ? throw Unavailable() : null;
        }

        await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_keys is { } keys && keys.TryFind(keyId, out var found)) return found;
            return _keys is null ? throw Unavailable() : null;
        }
    }

    private bool IsPastMaxAge(SigningKeySet keys) => _timeProvider.GetUtcNow() - keys.FetchedAt >= _options.JwksMaxAge;

    private bool FetchIsDue() =>
        _lastFetchEnded is not { } last || _timeProvider.GetUtcNow() - last >= _options.JwksRefreshInterval;

    // Called under _gate with no fetch running. The fetch runs on the thread pool, so not even its first bytes are sent
    // on the caller's time; on Lambda a fetch left running when an invocation ends resumes with the next one.
    private Task StartFetch()
    {
        var fetching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fetching = fetching;
        _ = Task.Run(() => FetchAsync(fetching));
        return fetching.Task;
    }

    private async Task FetchAsync(TaskCompletionSource fetching)
    {
        SigningKeySet? keys = null;
        JwksUnavailableException? failure = null;
        try
        {
            (keys, var skipped) = await _fetcher.FetchAsync().ConfigureAwait(false);
            JwksLog.KeysFetched(_logger, Address, keys.Count, skipped);
        }
        catch (Exception exception)
        {
            failure = exception as JwksUnavailableException
                      ?? new JwksUnavailableException($"The signing keys could not be fetched from {Address}.", exception);
            JwksLog.FetchFailed(_logger, Address, failure);
        }

        lock (_gate)
        {
            _lastFetchEnded = _timeProvider.GetUtcNow();
            // Keys that were good a moment ago are better than none while the issuer is unreachable.
            if (keys is not null) _keys = keys;
            _lastFailure = failure;
            _fetching = null;
        }
        fetching.SetResult();
    }

    // A new exception per handshake: one shared instance would have its stack trace rewritten by every throw.
    private JwksUnavailableException Unavailable() => _lastFailure is { } failure
        ? new JwksUnavailableException(failure.Message, failure)
        : new JwksUnavailableException($"No signing keys have been fetched from {Address}.");
}
