// The signed-in API key lives in sessionStorage only: it is gone when the
// tab closes, is never written to localStorage, a cookie or a URL.

import type { Role, Whoami } from "./types";

const KEY = "accord.apiKey";

/** KEYID:SECRET — a key id, a colon, a secret; no spaces. */
export const API_KEY_PATTERN = /^[^\s:]+:\S+$/;

export function getApiKey(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setApiKey(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function clearSession(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    /* storage unavailable: nothing kept */
  }
  current = null;
}

/** Who is signed in, with the organisation's display name. */
export interface Identity extends Whoami {
  organisation_name: string | null;
}

let current: Identity | null = null;

export function identity(): Identity | null {
  return current;
}

export function setIdentity(id: Identity | null): void {
  current = id;
}

export function hasRole(...roles: Role[]): boolean {
  return current !== null && roles.includes(current.role);
}
