// Strata's admin dashboard: polls the admin API every 2 s and redraws what changed.
import './style.css';
import { ApiError, CANCELLED, type Kept, load, type ObjectsPage, type PrefetchJob, send, type Status, type SyncProgress,
  type SyncRun, type UploadQueue } from './api';
import { ago } from './format';
import { pinForm, renderPins } from './panels/kept';
import { objectsFilter, objectsPath, renderObjects } from './panels/objects';
import { renderPrefetch } from './panels/prefetch';
import { renderBanner, renderCache, renderHits, renderProjects } from './panels/status';
import { renderUploads } from './panels/uploads';

const POLL_MS = 2000;

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html lacks #${id}`);
  return el;
}

const message = byId('action-message');

/**
 * Runs a user's action, says how it went, and refreshes at once instead of at the next tick.
 * {@code what} describes the outcome, possibly from the server's answer.
 */
function act(what: string | ((result: unknown) => string), call: () => Promise<unknown>): void {
  message.className = 'action-message';
  message.textContent = 'Working…';
  call().then(result => {
    message.textContent = result === CANCELLED ? '' : `${typeof what === 'string' ? what : what(result)}.`;
  }, (e: unknown) => {
    message.className = 'action-message error';
    message.textContent = e instanceof ApiError ? `Failed: ${e.message}` : `Failed: ${String(e)}`;
  }).finally(() => void refresh());
}

const objectsBody = document.createElement('div');
byId('objects').append(objectsFilter(() => void refresh()), objectsBody);
const pinsBody = document.createElement('div');
byId('pins').append(pinsBody, pinForm(act));

byId('sync-now').addEventListener('click', () => {
  const button = byId('sync-now') as HTMLButtonElement;
  button.disabled = true;
  const outcome = (result: unknown) => {
    const run = result as SyncRun | null;
    return run?.objectsChecked == null ? 'Sync finished'
      : `Sync finished: ${run.objectsChecked} objects checked, ${run.objectsChanged ?? 0} changed`
        + (run.errors?.length ? `, ${run.errors.length} errors` : '');
  };
  act(outcome, async () => {
    try {
      return await send('POST', '/api/sync');
    } finally {
      button.disabled = false;
    }
  });
});

/** While a sync runs (started here or by its timer), the button says how far it got. */
function renderSyncProgress(progress: SyncProgress | null): void {
  const button = byId('sync-now') as HTMLButtonElement;
  if (progress?.phase) {
    const counts = progress.objectsToCheck ? ` (${progress.objectsChecked ?? 0} of ${progress.objectsToCheck})` : '';
    button.textContent = `Syncing: ${progress.phase}${counts}`;
    button.disabled = true;
  } else if (button.textContent !== 'Sync now') {
    button.textContent = 'Sync now';
    button.disabled = false;
  }
}

let timer: number | undefined;
let polling = false;
/** An action or filter asked for fresh data while a poll was under way: poll again right after. */
let again = false;

async function refresh(): Promise<void> {
  if (polling) {
    again = true;
    return;
  }
  polling = true;
  again = false;
  window.clearTimeout(timer);
  try {
    const [status, objects, uploads, pins, prefetch, syncing] = await Promise.all([
      load<Status>('/api/status'),
      load<ObjectsPage>(objectsPath()),
      load<UploadQueue>('/api/uploads'),
      load<Kept[]>('/api/pins'),
      load<PrefetchJob[]>('/api/prefetch'),
      load<SyncProgress | null>('/api/sync/current'),
    ]);
    renderSyncProgress(syncing.kind === 'ok' ? syncing.data : null);
    renderBanner(byId('banner'), status);
    byId('upstream').textContent = status.kind === 'ok' && status.data.upstream ? status.data.upstream : '—';
    renderCache(byId('cache'), status);
    renderHits(byId('hits'), status);
    renderProjects(byId('projects'), status);
    renderUploads(byId('uploads'), uploads, act);
    renderPins(pinsBody, pins, act);
    renderPrefetch(byId('prefetch'), prefetch);
    renderObjects(objectsBody, objects, act, () => void refresh());
    const now = new Date().toISOString();
    byId('updated').textContent = `Last update ${ago(now)}.`;
    document.body.dataset.polls = String(Number(document.body.dataset.polls ?? 0) + 1);
  } finally {
    polling = false;
    // a hidden tab polls less often; the dashboard catches up when it is shown again
    timer = window.setTimeout(() => void refresh(), again ? 0 : document.hidden ? POLL_MS * 5 : POLL_MS);
  }
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden) void refresh();
});

void refresh();
