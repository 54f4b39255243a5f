// The admin JSON API (docs/admin-api.md) as this page uses it. Every field is optional on purpose:
// the page shows "—" for what an older or newer Strata does not send, rather than breaking.

export interface CacheStatus {
  bytes?: number;
  maxBytes?: number;
  warnBytes?: number;
  protectedBytes?: number;
  blocks?: number;
  objects?: number;
  hits?: number;
  misses?: number;
  hitRatio?: number;
  evictions?: number;
  aboveWarnLevel?: boolean;
  projects?: { project?: string; bytes?: number }[];
}

export interface SyncRun {
  id?: number;
  trigger?: string;
  startedAt?: string;
  finishedAt?: string | null;
  objectsChecked?: number;
  objectsChanged?: number;
  bytesFetched?: number;
  errors?: string[];
}

export interface Status {
  online?: boolean;
  since?: string;
  reason?: string | null;
  upstream?: string;
  cache?: CacheStatus;
  uploads?: { count?: number; bytes?: number };
  lastSync?: SyncRun | null;
  history?: { at?: string; hitRatio?: number; bytes?: number }[];
}

export interface ByteSpan {
  first: number;
  last: number;
}

export interface CachedObject {
  bucket?: string;
  key?: string;
  etag?: string;
  size?: number;
  cachedBytes?: number;
  blocks?: (ByteSpan & { cached?: boolean })[];
  footer?: ByteSpan | null;
  priority?: number;
  pinned?: boolean;
  lastAccess?: string | null;
}

export interface ObjectsPage {
  objects?: CachedObject[];
  next?: string | null;
}

export interface QueuedWrite {
  id: number;
  bucket?: string;
  key?: string;
  operation?: string;
  state?: string;
  size?: number;
  createdAt?: string;
  retryCount?: number;
  nextAttemptAt?: string;
  lastError?: string | null;
  conflictEtag?: string | null;
}

export interface UploadQueue {
  count?: number;
  bytes?: number;
  writes?: QueuedWrite[];
}

export interface Selection {
  bucket?: string;
  keys?: string[] | null;
  prefix?: string | null;
  columns?: string[] | null;
  range?: { column?: string; min?: number | null; max?: number | null } | null;
  priority?: string | null;
}

export interface Kept {
  id: number;
  selection?: Selection;
  createdAt?: string;
  bytes?: number;
  cachedBytes?: number;
  /** percent, 0..100 */
  readiness?: number;
  problem?: string | null;
}

export interface PrefetchJob {
  id: string;
  state?: string;
  bucket?: string;
  priority?: string;
  createdAt?: string;
  finishedAt?: string | null;
  bytesTotal?: number;
  bytesDone?: number;
  bytesFetched?: number;
  /** percent, 0..100 */
  percent?: number;
  objects?: { key?: string }[];
  errors?: string[];
}

/** What a poll of one endpoint gave: data, "this Strata has no such endpoint", or an error. */
export type Loaded<T> =
  | { kind: 'ok'; data: T }
  | { kind: 'missing' }
  | { kind: 'error'; message: string };

/** What an action returns when the user thought better of it (a confirm dialog said no). */
export const CANCELLED = Symbol('cancelled');

/** An admin API error, carrying the server's JSON {"message"}. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function messageOf(response: Response): Promise<string> {
  try {
    const body = await response.json();
    if (body && typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: fall through to the status line
  }
  return `${response.status} ${response.statusText}`.trim();
}

export async function load<T>(path: string): Promise<Loaded<T>> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  } catch {
    return { kind: 'error', message: 'cannot reach the Strata admin server' };
  }
  if (response.status === 404) return { kind: 'missing' };
  // 204: nothing to report (no sync running)
  if (response.status === 204) return { kind: 'ok', data: null as T };
  if (!response.ok) return { kind: 'error', message: await messageOf(response) };
  try {
    return { kind: 'ok', data: (await response.json()) as T };
  } catch {
    return { kind: 'error', message: `${path} did not answer with JSON` };
  }
}

/**
 * A state-changing call. fetch() from this page sends the page's own Origin, which is what the
 * admin server's same-origin check lets through.
 */
export async function send(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? { Accept: 'application/json' }
      : { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new ApiError(response.status, await messageOf(response));
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** A sync run in progress (GET /api/sync/current). */
export interface SyncProgress {
  trigger?: string;
  startedAt?: string;
  phase?: string;
  objectsChecked?: number;
  objectsToCheck?: number;
}
