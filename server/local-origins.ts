import os from "node:os";

const EVERY_INTERFACE = new Set(["0.0.0.0", "::"]);

/**
 * The origins at which this server answers by its own addresses: localhost, the loopback addresses, and the address
 * it listens on (every interface's, when it listens on all). Without PUBLIC_URL these are the only request origins
 * a mailed link may be built from, since any other Host header is whatever the client chose to send.
 */
export function localOrigins(host: string, port: number): Set<string> {
  const addresses = new Set(["localhost", "127.0.0.1", "::1"]);
  if (EVERY_INTERFACE.has(host)) {
    for (const entries of Object.values(os.networkInterfaces())) for (const entry of entries ?? []) addresses.add(entry.address);
  } else {
    addresses.add(host);
  }
  const origins = new Set<string>();
  for (const address of addresses) {
    const origin = originOf(address, port);
    if (origin) origins.add(origin);
  }
  return origins;
}

function originOf(address: string, port: number): string | null {
  try {
    return new URL(`http://${address.includes(":") ? `[${address}]` : address}:${port}`).origin;
  } catch {
    // A host name or address that is no URL host (a zone-scoped IPv6 address) is no origin a browser sends.
    return null;
  }
}
