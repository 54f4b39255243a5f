// Pins (GET /api/pins): selections kept offline and never evicted, with how much of each is on
// disk, plus a form to add one.
import { type Kept, type Loaded, send } from '../api';
import { h, note, progress, render } from '../dom';
import { bytes } from '../format';

type Act = (what: string, call: () => Promise<unknown>) => void;

export function describe(s: Kept['selection']): string {
  if (!s) return '—';
  const what = s.keys?.length ? s.keys.join(', ') : `${s.prefix ?? ''}*`;
  const columns = s.columns?.length ? ` · columns ${s.columns.join(', ')}` : '';
  const range = s.range?.column ? ` · ${s.range.column} ${s.range.min ?? '…'} to ${s.range.max ?? '…'}` : '';
  return `${s.bucket ?? '?'}/${what}${columns}${range}`;
}

export function renderPins(container: HTMLElement, pins: Loaded<Kept[]>, act: Act): void {
  render(container, JSON.stringify(pins), () => {
    if (pins.kind === 'missing') return [note('This Strata has no pins API.')];
    if (pins.kind === 'error') return [note(pins.message, 'error')];
    if (pins.data.length === 0) return [note('Nothing pinned. Pin a bucket prefix to keep it readable offline.')];
    return [h('ul', { class: 'jobs', id: 'pins-list' }, ...pins.data.map(p => {
      const name = describe(p.selection);
      return h('li', { 'data-id': p.id },
        h('div', { class: 'job-name key' }, name),
        h('div', { class: 'job-head' },
          h('span', { class: 'sub' }, `${bytes(p.cachedBytes)} of ${bytes(p.bytes)} on disk`),
          h('button', { type: 'button', id: `unpin-${p.id}`, 'aria-label': `Unpin ${name}`,
            onclick: () => act(`Unpinned ${name}`, () => send('DELETE', `/api/pins/${p.id}`)) }, 'Unpin')),
        progress(`Offline readiness of ${name}`, p.readiness, `pin-${p.id}-progress`),
        p.problem ? h('p', { class: 'error-text' }, p.problem) : null);
    }))];
  });
}

export function pinForm(act: Act): HTMLElement {
  const bucket = h('input', { id: 'pin-bucket', name: 'bucket', type: 'text', required: true, autocomplete: 'off' });
  const prefix = h('input', { id: 'pin-prefix', name: 'prefix', type: 'text', autocomplete: 'off', placeholder: 'e.g. wells/2024/' });
  const form = h('form', { class: 'inline-form', 'aria-label': 'Pin a prefix' },
    h('label', { for: 'pin-bucket' }, 'Bucket'), bucket,
    h('label', { for: 'pin-prefix' }, 'Prefix'), prefix,
    h('button', { type: 'submit', id: 'pin-add' }, 'Pin'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const selection = { bucket: bucket.value.trim(), prefix: prefix.value };
    act(`Pinned ${selection.bucket}/${selection.prefix}*`, () => send('POST', '/api/pins', selection));
  });
  return form;
}
