// The upload queue (GET /api/uploads): writes made while offline or not yet delivered, and what an
// operator can do about each.
import { CANCELLED, type Loaded, type QueuedWrite, send, type UploadQueue } from '../api';
import { h, note, render } from '../dom';
import { ago, bytes, count, time } from '../format';

type Act = (what: string, call: () => Promise<unknown>) => void;

const STATE_TEXT: Record<string, string> = {
  pending: 'waiting',
  uploading: 'uploading',
  conflict: 'conflict: changed upstream',
};

export function renderUploads(container: HTMLElement, queue: Loaded<UploadQueue>, act: Act): void {
  render(container, JSON.stringify(queue), () => {
    if (queue.kind === 'missing') return [note('This Strata has no upload queue API.')];
    if (queue.kind === 'error') return [note(queue.message, 'error')];
    const writes = queue.data.writes ?? [];
    const summary = h('p', { class: 'summary', id: 'uploads-summary' },
      writes.length === 0 ? 'Nothing waiting: every write has reached the upstream.'
        : `${count(queue.data.count ?? writes.length)} write${writes.length === 1 ? '' : 's'},`
          + ` ${bytes(queue.data.bytes)} waiting to upload.`);
    if (writes.length === 0) return [summary];
    return [summary, h('div', { class: 'table-wrap' }, h('table', { id: 'uploads-table' },
      h('caption', { class: 'visually-hidden' }, 'Writes waiting to upload'),
      h('thead', {}, h('tr', {}, ...['Object', 'State', 'Size', 'Queued', 'Tries', 'Actions']
        .map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...writes.map(w => row(w, act)))))];
  });
}

function row(w: QueuedWrite, act: Act): HTMLElement {
  const name = `${w.bucket ?? '?'}/${w.key ?? '?'}`;
  const state = w.state ?? 'unknown';
  return h('tr', { 'data-id': w.id, 'data-key': w.key, 'data-state': state },
    h('th', { scope: 'row' }, h('span', { class: 'key' }, name), ' ',
      w.operation ? h('span', { class: 'badge op' }, w.operation) : ''),
    h('td', {}, h('span', { class: `badge state-${state}` }, STATE_TEXT[state] ?? state),
      w.lastError ? h('p', { class: 'error-text' }, w.lastError) : ''),
    h('td', { class: 'num' }, bytes(w.size)),
    h('td', { title: time(w.createdAt) }, ago(w.createdAt)),
    h('td', { class: 'num', title: w.nextAttemptAt ? `next try ${time(w.nextAttemptAt)}` : null }, count(w.retryCount)),
    h('td', { class: 'actions' }, ...actions(w, name, act)));
}

function actions(w: QueuedWrite, name: string, act: Act): HTMLElement[] {
  const button = (label: string, description: string, what: string, call: () => Promise<unknown>) =>
    h('button', { type: 'button', id: `upload-${w.id}-${label.toLowerCase().replace(/\W+/g, '-')}`,
      'aria-label': `${description} ${name}`, onclick: () => act(what, call) }, label);
  if (w.state === 'conflict') {
    return [
      button('Keep mine', 'Overwrite the upstream copy with the local write of', `Overwriting ${name}`,
        () => send('POST', `/api/uploads/${w.id}/resolve`, { action: 'overwrite' })),
      button('Keep theirs', 'Discard the local write of', `Discarded the local write of ${name}`,
        () => send('POST', `/api/uploads/${w.id}/resolve`, { action: 'discard' })),
      button('Upload as…', 'Upload under another key the local write of', `Uploading ${name} under a new key`,
        async () => {
          const key = window.prompt(`Upload the local write of ${name} under which key?`, `${w.key ?? ''}.mine`);
          if (!key) return CANCELLED;
          return send('POST', `/api/uploads/${w.id}/resolve`, { action: 'upload-as', key });
        }),
    ];
  }
  return [
    button('Retry now', 'Retry now the upload of', `Retrying ${name}`, () => send('POST', `/api/uploads/${w.id}/retry`)),
    button('Discard', 'Discard the queued write of', `Discarded the queued write of ${name}`, async () => {
      if (!window.confirm(`Discard the queued write of ${name}? The data will not reach the upstream.`)) return CANCELLED;
      return send('DELETE', `/api/uploads/${w.id}`);
    }),
  ];
}
