import type { Duplex } from "node:stream";
import { WebSocket } from "ws";
import type { Peer } from "./room";

/**
 * A client's WebSocket as a room sees it. A room hands the same message to each of its peers in turn (a broadcast);
 * `ws.send` would frame and write it anew for every socket (a header, a cork and a two-part write each). Here it is
 * framed once, the frame kept until a different message is sent, and the same bytes are written to every socket in
 * one write. The room never changes a message once it has sent it, so the message itself identifies its frame.
 *
 * The frames go straight to the upgraded socket, which ws writes its own frames (pings, pongs, close) to as well.
 * Each write is a whole frame, and ws queues nothing of its own without permessage-deflate, which the server does not
 * offer: so frames never interleave, and ws's `bufferedAmount` still counts what waits in the socket.
 */
export class SocketPeer implements Peer {
  constructor(
    readonly webSocket: WebSocket,
    private readonly socket: Duplex,
  ) {}

  get bufferedAmount(): number {
    return this.webSocket.bufferedAmount;
  }

  send(message: Uint8Array): void {
    // As ws.send: nothing goes out once the closing handshake has begun.
    if (this.webSocket.readyState !== WebSocket.OPEN) return;
    this.socket.write(frameOf(message));
  }

  close(code: number, reason: string): void {
    this.webSocket.close(code, reason);
  }
}

let lastMessage: Uint8Array | null = null;
let lastFrame: Buffer | null = null;

function frameOf(message: Uint8Array): Buffer {
  if (message !== lastMessage || lastFrame === null) {
    lastFrame = binaryFrame(message);
    lastMessage = message;
  }
  return lastFrame;
}

const FIN_BINARY = 0x82;

/** One final, unmasked binary frame: what a server sends (RFC 6455 §5.2). */
export function binaryFrame(payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const headerLength = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = FIN_BINARY;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2);
    frame.writeUInt32BE(length % 0x1_0000_0000, 6);
  }
  frame.set(payload, headerLength);
  return frame;
}
