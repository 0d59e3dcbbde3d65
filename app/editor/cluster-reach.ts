import * as decoding from "lib0/decoding";

/**
 * The message type by which a server of a deployment of several (REDIS_URL, decision 0026) tells an editor whether
 * the changes it accepts for the document currently reach the other servers: Redis reachable and its updates not
 * waiting to be shared. Its payload is one varuint, 1 when they do and 0 when they do not. Sent when it changes and
 * as an editor asks for save acknowledgements (STORED_MESSAGE): only editors that asked know the type. A server
 * alone never sends it.
 */
export const REACH_MESSAGE = 101;

/**
 * The payload of a REACH_MESSAGE (after its type), or null for anything else: the editor then keeps what it knew
 * rather than act on bytes it does not understand.
 */
export function readReach(decoder: decoding.Decoder): boolean | null {
  if (!decoding.hasContent(decoder)) return null;
  let value: number;
  try {
    value = decoding.readVarUint(decoder);
  } catch {
    return null;
  }
  if (decoding.hasContent(decoder)) return null;
  if (value === 1) return true;
  if (value === 0) return false;
  return null;
}
