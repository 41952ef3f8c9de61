// The same-origin REST client. Every call sends the session's key as
// `Authorization: Bearer KEYID:SECRET`; every failure becomes an ApiError
// whose message is the server's own words (its JSON error body).

import { clearSession, getApiKey } from "./session";
import type { ErrorBody } from "./types";

export const API_BASE = "/api/v1";

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** the error answer's JSON (some carry more than the message: a failed
   * import says what it committed before the error); null when not JSON */
  readonly body: unknown;
  constructor(status: number, message: string, body: unknown = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
  /** A sentence for a person: what failed and why, in the server's words. */
  describe(): string {
    if (this.status === 0) return `The server could not be reached: ${this.message}`;
    return `${STATUS_WORDS[this.status] ?? `The server answered ${this.status}`}: ${this.message}`;
  }
}

const STATUS_WORDS: Record<number, string> = {
  400: "The server refused the request",
  401: "Not signed in",
  403: "Not allowed",
  404: "Not found",
  405: "Not supported",
  409: "Conflict",
  413: "Too large",
  415: "Unsupported content",
  429: "Too many attempts",
  500: "Server error",
  503: "Server not ready",
};

export type Params = Record<string, string | number | null | undefined>;

export interface RequestOptions {
  params?: Params;
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Use this key instead of the session's (sign-in checks a key before keeping it). */
  apiKey?: string;
  /** An ETag the resource must still have (If-Match): a stale one is answered 412. */
  ifMatch?: string;
}

/** Fired on window when a call is answered 401: the session is over. */
export const UNAUTHORIZED_EVENT = "accord:unauthorized";

export function apiUrl(path: string, params?: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
  }
  const qs = q.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ""}`;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  return request<T>(path, jsonOptions(opts), (text) => JSON.parse(text) as T);
}

/** api(), plus the answer's ETag (null when it has none), for a later ifMatch. */
export async function apiTagged<T>(path: string, opts: RequestOptions = {}): Promise<{ value: T; etag: string | null }> {
  return request(path, jsonOptions(opts), (text, res) => ({ value: JSON.parse(text) as T, etag: res.headers.get("ETag") }));
}

function jsonOptions(opts: RequestOptions): RawOptions {
  return {
    ...opts,
    rawBody: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    contentType: opts.body === undefined ? undefined : "application/json",
  };
}

interface RawOptions extends Omit<RequestOptions, "body"> {
  rawBody?: string | Blob;
  contentType?: string;
}

async function request<T>(path: string, opts: RawOptions, parse: (text: string, res: Response) => T): Promise<T> {
  const key = opts.apiKey ?? getApiKey();
  const headers: Record<string, string> = { Accept: "application/json" };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (opts.contentType) headers["Content-Type"] = opts.contentType;
  if (opts.ifMatch) headers["If-Match"] = opts.ifMatch;
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.params), {
      method: opts.method ?? "GET",
      headers,
      body: opts.rawBody,
      signal: opts.signal,
      credentials: "omit",
      cache: "no-store",
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, e instanceof Error ? e.message : String(e));
  }
  const text = await res.text();
  if (!res.ok) throw failure(res, text, opts.apiKey !== undefined);
  // 204 (a DELETE) has no body: there is nothing to parse.
  if (res.status === 204 || text === "") return undefined as T;
  try {
    return parse(text, res);
  } catch {
    throw new ApiError(res.status, "the answer was not JSON");
  }
}

/** The ApiError for a failed answer; a 401 on the session's key ends the session. */
function failure(res: Response, text: string, ownKey: boolean): ApiError {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: the message says what there is */
  }
  const err = new ApiError(res.status, errorMessage(res, text), body);
  if (res.status === 401 && !ownKey && getApiKey() !== null) {
    // The session's key stopped working (revoked, expired): end the session
    // once, however many calls were in flight.
    clearSession();
    window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT, { detail: err.message }));
  }
  return err;
}

function errorMessage(res: Response, text: string): string {
  try {
    const parsed = JSON.parse(text) as Partial<ErrorBody>;
    if (parsed.error && typeof parsed.error.message === "string" && parsed.error.message) {
      return parsed.error.message;
    }
  } catch {
    /* not JSON: fall through */
  }
  const plain = text.trim();
  if (plain && plain.length < 300 && !plain.startsWith("<")) return plain;
  return res.statusText || `HTTP ${res.status}`;
}

/** A human sentence for anything thrown by api(). */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) return e.describe();
  if (e instanceof Error) return e.message;
  return String(e);
}

export interface CountResult {
  /** how many items were counted */
  count: number;
  /** true when paging stopped at maxPages: the real number is at least count */
  capped: boolean;
}

/**
 * Walk a cursor-paged listing (`{<field>: [...], next}`), calling `visit`
 * on each item. Stops after maxPages pages.
 */
export async function walkPages<T>(
  path: string,
  field: string,
  visit: (item: T) => void,
  opts: { params?: Params; pageSize?: number; maxPages?: number; signal?: AbortSignal } = {},
): Promise<CountResult> {
  const pageSize = opts.pageSize ?? 1000;
  const maxPages = opts.maxPages ?? 20;
  let cursor: string | null = null;
  let count = 0;
  for (let page = 0; page < maxPages; page++) {
    const res: Record<string, unknown> = await api<Record<string, unknown>>(path, {
      params: { ...opts.params, limit: pageSize, cursor },
      signal: opts.signal,
    });
    const items = (res[field] as T[] | undefined) ?? [];
    for (const it of items) visit(it);
    count += items.length;
    cursor = (res.next as string | null | undefined) ?? null;
    if (!cursor) return { count, capped: false };
  }
  return { count, capped: true };
}

/**
 * Send a body as it is (a pasted or uploaded file) with its content type;
 * the answer is JSON as for api().
 */
export async function apiSend<T>(
  path: string,
  body: string | Blob,
  contentType: string,
  opts: { params?: Params; method?: string; signal?: AbortSignal } = {},
): Promise<T> {
  return request<T>(path, { ...opts, method: opts.method ?? "POST", rawBody: body, contentType }, (t) => JSON.parse(t) as T);
}

/**
 * Fetch a file with the session's key and hand it to the browser as a
 * download (the key never goes in a URL, so a plain link cannot do this).
 * The file name comes from Content-Disposition, else `fallbackName`.
 */
export async function apiDownload(path: string, fallbackName: string, opts: { params?: Params; signal?: AbortSignal } = {}): Promise<string> {
  const key = getApiKey();
  const headers: Record<string, string> = {};
  if (key) headers.Authorization = `Bearer ${key}`;
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.params), { headers, signal: opts.signal, credentials: "omit", cache: "no-store" });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) throw failure(res, await res.text(), false);
  const blob = await res.blob();
  const name = /filename="?([^";]+)"?/.exec(res.headers.get("Content-Disposition") ?? "")?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
