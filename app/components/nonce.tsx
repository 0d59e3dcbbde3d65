import { createContext, useContext } from "react";

/** The per-response nonce that the Content-Security-Policy allows inline scripts with (set by the server). */
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
