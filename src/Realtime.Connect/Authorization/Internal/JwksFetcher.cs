using System.Buffers;

namespace Realtime.Connect.Authorization.Internal;

/// <summary>
/// One fetch of the issuer's JWKS, within limits: <see cref="AuthorizerOptions.JwksFetchTimeout"/> from the request
/// to the last byte, at most <see cref="AuthorizerOptions.JwksMaxBytes"/> read, and no redirect (a 3xx is a failed
/// fetch, as is an answer from another address when the given client followed one). Any failure is a
/// <see cref="JwksUnavailableException"/>.
/// </summary>
internal sealed class JwksFetcher
{
    private const int ChunkSize = 16 * 1024;

    private readonly Uri _address;
    private readonly HttpClient _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _timeout;
    private readonly int _maxBytes;

    public JwksFetcher(Uri address, HttpClient httpClient, TimeProvider timeProvider, AuthorizerOptions options)
    {
        _address = address;
        _httpClient = httpClient;
        _timeProvider = timeProvider;
        _timeout = options.JwksFetchTimeout;
        _maxBytes = options.JwksMaxBytes;
    }

    public async Task<(SigningKeySet Keys, int Skipped)> FetchAsync()
    {
        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _address);
            using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
                throw new JwksUnavailableException($"The JWKS address {_address} answered {status}, a redirect, which is not followed.");
            if (!response.IsSuccessStatusCode)
                throw new JwksUnavailableException($"The JWKS address {_address} answered {status}.");
            if (response.RequestMessage?.RequestUri is { } answeredFrom && answeredFrom != _address)
                throw new JwksUnavailableException($"The JWKS address {_address} redirected the fetch, which is not followed.");
            if (response.Content.Headers.ContentLength > _maxBytes)
                throw TooLarge();

            var body = await ReadBoundedAsync(response.Content, timeout.Token).ConfigureAwait(false);
            var keys = JwksDocument.Parse(body, _timeProvider.GetUtcNow(), out var skipped);
            return (keys, skipped);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested)
        {
            throw new JwksUnavailableException($"The JWKS address {_address} did not answer within {_timeout.TotalSeconds:0.###} s.", exception);
        }
        catch (Exception exception) when (exception is not JwksUnavailableException)
        {
            // Refused connections, broken streams, a document that is not a JWKS: the keys are unavailable all the same.
            throw new JwksUnavailableException($"The signing keys could not be fetched from {_address}.", exception);
        }
    }

    // Reads at most _maxBytes, chunk by chunk, whatever Content-Length claimed: the limit holds for a chunked or lying answer.
    private async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            int read;
            while ((read = await stream.ReadAsync(chunk.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > _maxBytes) throw TooLarge();
                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return body.GetBuffer().AsMemory(0, (int)body.Length);
    }

    private JwksUnavailableException TooLarge() =>
        new($"The JWKS document at {_address} is larger than {_maxBytes} bytes (JwksMaxBytes).");
}
