"use strict";

// Realtime's ping route in Node: the answer goes back through @connections, as on API Gateway.
const {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} = require("@aws-sdk/client-apigatewaymanagementapi");

const connections = new ApiGatewayManagementApiClient({
  endpoint: process.env.CONNECTIONS_ENDPOINT,
  region: process.env.AWS_REGION || "us-east-1",
  // serverless-offline does not check signatures; the client still wants something to sign with.
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
});

function post(connectionId, message) {
  return connections.send(
    new PostToConnectionCommand({
      ConnectionId: connectionId,
      Data: Buffer.from(JSON.stringify(message)),
    }),
  );
}

function parse(body) {
  try {
    return JSON.parse(body || "{}");
  } catch {
    return {};
  }
}

exports.connect = async () => ({ statusCode: 200 });

exports.disconnect = async () => ({ statusCode: 200 });

exports.ping = async (event) => {
  const { id } = parse(event.body);
  await post(event.requestContext.connectionId, { type: "pong", id });
  return { statusCode: 200 };
};

exports.unknown = async (event) => {
  const { id, action } = parse(event.body);
  await post(event.requestContext.connectionId, {
    type: "error",
    code: "unknown_action",
    message: `no route for action '${action}'`,
    id,
  });
  return { statusCode: 200 };
};
