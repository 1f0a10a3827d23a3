namespace Realtime.Smoke.Publishers;

/// <summary>The backend's way in: publishes <c>{"topic":...,"event":...,"data":...}</c> as a backend would.</summary>
internal interface IEventPublisher : IDisposable
{
    /// <summary>Where events go, for the report, e.g. <c>SQS https://sqs...</c>.</summary>
    string Destination { get; }

    /// <summary>What it usually means when the event was published but never arrived.</summary>
    string UndeliveredHint { get; }

    /// <summary>Publishes the request; returns a short detail for the report (a message id, a delivery count).</summary>
    Task<string> PublishAsync(string requestJson, CancellationToken cancellationToken);
}
