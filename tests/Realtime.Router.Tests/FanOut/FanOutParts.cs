using Microsoft.Extensions.Logging.Abstractions;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Router.FanOut;

namespace Realtime.Router.Tests.FanOut;

/// <summary>Fan-out's parts wired as the service collection wires them, for tests that build them by hand.</summary>
internal static class FanOutParts
{
    public static RangeDelivery Delivery(IConnectionRegistry registry, IConnectionsClient client, ConnectionsEndpoints endpoints, FanOutOptions options, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        return new RangeDelivery(registry, client, endpoints, new AdaptiveConcurrency(options, time),
            options.RatePerSecond > 0 ? new RateBudget(options.RatePerSecond, time) : RateBudget.Unlimited, options, time, NullLogger<RangeDelivery>.Instance);
    }

    public static Broadcaster Broadcaster(IConnectionRegistry registry, IConnectionsClient client, ConnectionsEndpoints endpoints, FanOutOptions options) =>
        new(registry, Delivery(registry, client, endpoints, options), NullLogger<Broadcaster>.Instance);
}
