import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { SocketPeer } from "#server/collab/socket-peer";

/** A server socket wrapped as a SocketPeer, and a ws client connected to it that collects what it receives. */
async function connectedPair() {
  const server = http.createServer();
  const webSockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const peer = new Promise<SocketPeer>((resolve) => {
    server.on("upgrade", (request, socket, head) => {
      webSockets.handleUpgrade(request, socket, head, (webSocket) => resolve(new SocketPeer(webSocket, socket)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const received: Buffer[] = [];
  const waiters: Array<() => void> = [];
  client.on("message", (data: Buffer, isBinary) => {
    if (isBinary) received.push(data);
    for (const waiter of waiters.splice(0)) waiter();
  });
  await new Promise<void>((resolve, reject) => {
    client.once("open", () => resolve());
    client.once("error", reject);
  });
  const receivedCount = (count: number) =>
    new Promise<Buffer[]>((resolve) => {
      const check = () => (received.length >= count ? resolve(received.slice(0, count)) : void waiters.push(check));
      check();
    });
  const close = async () => {
    client.terminate();
    webSockets.close();
    await new Promise((resolve) => server.close(resolve));
  };
  return { peer: await peer, client, received, receivedCount, close };
}

describe("SocketPeer", () => {
  let close: (() => Promise<void>) | null = null;

  afterEach(async () => {
    await close?.();
    close = null;
  });

  it("delivers each message whole and in order, whatever its length needs of the frame header", async () => {
    const pair = await connectedPair();
    close = pair.close;
    // Lengths that take the short, the 16-bit and the 64-bit length field, and their edges.
    const lengths = [0, 1, 125, 126, 65_535, 65_536, 200_000];
    const messages = lengths.map((length) => new Uint8Array(length).map((_, index) => (index * 7 + length) % 256));

    for (const message of messages) pair.peer.send(message);

    const received = await pair.receivedCount(messages.length);
    expect(received.map((bytes) => bytes.length)).toEqual(lengths);
    expect(received.every((bytes, index) => bytes.equals(messages[index] ?? new Uint8Array()))).toBe(true);
  });

  it("sends the same message to several peers, and a different one after it, each as sent", async () => {
    const first = await connectedPair();
    const second = await connectedPair();
    close = async () => {
      await first.close();
      await second.close();
    };
    const broadcast = Uint8Array.of(0, 2, 3, 1, 2, 3);
    const reply = Uint8Array.of(0, 1, 9);

    first.peer.send(broadcast);
    second.peer.send(broadcast);
    first.peer.send(reply);

    expect((await first.receivedCount(2)).map((bytes) => new Uint8Array(bytes))).toEqual([broadcast, reply]);
    expect((await second.receivedCount(1)).map((bytes) => new Uint8Array(bytes))).toEqual([broadcast]);
  });

  it("sends nothing once the closing handshake has begun, and closes with the code given", async () => {
    const pair = await connectedPair();
    close = pair.close;
    const closed = new Promise<number>((resolve) => pair.client.once("close", (code) => resolve(code)));

    pair.peer.close(4401, "access revoked");
    pair.peer.send(Uint8Array.of(1, 2, 3));

    expect(await closed).toBe(4401);
    expect(pair.received).toEqual([]);
  });
});
