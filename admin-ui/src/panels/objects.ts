// The cached objects table (GET /api/objects), a block map per object, and eviction.
import { type CachedObject, type Loaded, type ObjectsPage, send } from '../api';
import { h, note, render } from '../dom';
import { ago, bytes, priority, time } from '../format';
import { blockMap, blockMapLegend } from './blockmap';

export const PAGE_SIZE = 50;

/** The filter and page the user chose; the poller reads it to build the query. */
export const objectsQuery = { bucket: '', prefix: '', after: [] as string[] };

export function objectsPath(): string {
  const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (objectsQuery.bucket) q.set('bucket', objectsQuery.bucket);
  if (objectsQuery.prefix) q.set('prefix', objectsQuery.prefix);
  const after = objectsQuery.after[objectsQuery.after.length - 1];
  if (after) q.set('after', after);
  return `/api/objects?${q}`;
}

export function objectsFilter(onChange: () => void): HTMLElement {
  const bucket = h('input', { id: 'filter-bucket', name: 'bucket', type: 'text', autocomplete: 'off' });
  const prefix = h('input', { id: 'filter-prefix', name: 'prefix', type: 'text', autocomplete: 'off' });
  const form = h('form', { class: 'filter', role: 'search', 'aria-label': 'Filter cached objects' },
    h('label', { for: 'filter-bucket' }, 'Bucket'), bucket,
    h('label', { for: 'filter-prefix' }, 'Key prefix'), prefix,
    h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    objectsQuery.bucket = bucket.value.trim();
    objectsQuery.prefix = prefix.value;
    objectsQuery.after = [];
    onChange();
  });
  return form;
}

type Act = (what: string, call: () => Promise<unknown>) => void;

export function renderObjects(container: HTMLElement, page: Loaded<ObjectsPage>, act: Act, onPage: () => void): void {
  render(container, JSON.stringify([page, objectsQuery.after]), () => {
    if (page.kind === 'missing') return [note('This Strata does not list cached objects (GET /api/objects).')];
    if (page.kind === 'error') return [note(page.message, 'error')];
    const objects = page.data.objects ?? [];
    if (objects.length === 0) return [note('No cached objects match. Read something through Strata and it appears here.')];
    return [
      blockMapLegend(),
      h('div', { class: 'table-wrap' }, h('table', { id: 'objects-table' },
        h('caption', { class: 'visually-hidden' }, 'Cached objects with their block maps'),
        h('thead', {}, h('tr', {},
          ...['Object', 'Size', 'Cached', 'Block map', 'Priority', 'Last read', 'Actions']
            .map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, ...objects.map((o, i) => row(o, i, act))))),
      pager(page.data.next, onPage),
    ];
  });
}

function row(o: CachedObject, i: number, act: Act): HTMLElement {
  const name = `${o.bucket ?? '?'}/${o.key ?? '?'}`;
  return h('tr', { 'data-bucket': o.bucket, 'data-key': o.key },
    h('th', { scope: 'row', class: 'key' }, h('span', { title: o.etag ? `ETag ${o.etag}` : null }, name)),
    h('td', { class: 'num' }, bytes(o.size)),
    h('td', { class: 'num' }, bytes(o.cachedBytes)),
    h('td', {}, blockMap(o)),
    h('td', {}, o.pinned ? h('span', { class: 'badge pin' }, 'pinned') : priority(o.priority, o.pinned)),
    h('td', { title: time(o.lastAccess) }, ago(o.lastAccess)),
    h('td', {}, h('button', {
      type: 'button', id: `evict-${i}`, 'aria-label': `Evict ${name} from the cache`,
      onclick: () => act(`Evicted ${name}`, () => send('POST', '/api/objects/evict', { bucket: o.bucket, key: o.key })),
    }, 'Evict')));
}

function pager(next: string | null | undefined, onPage: () => void): HTMLElement | null {
  const back = objectsQuery.after.length > 0;
  if (!next && !back) return null;
  return h('nav', { class: 'pager', 'aria-label': 'Object pages' },
    back && h('button', { type: 'button', id: 'objects-prev', onclick: () => { objectsQuery.after.pop(); onPage(); } }, 'Previous'),
    next && h('button', { type: 'button', id: 'objects-next', onclick: () => { objectsQuery.after.push(next); onPage(); } }, 'Next'));
}
