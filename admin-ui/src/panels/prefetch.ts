// Prefetch jobs (GET /api/prefetch): downloads running in the background, with progress.
import type { Loaded, PrefetchJob } from '../api';
import { h, note, progress, render } from '../dom';
import { ago, bytes, time } from '../format';

export function renderPrefetch(container: HTMLElement, jobs: Loaded<PrefetchJob[]>): void {
  render(container, JSON.stringify(jobs), () => {
    if (jobs.kind === 'missing') return [note('This Strata has no prefetch API.')];
    if (jobs.kind === 'error') return [note(jobs.message, 'error')];
    if (jobs.data.length === 0) return [note('No prefetch jobs yet.')];
    // newest first; finished jobs stay listed so their outcome can be read
    const sorted = [...jobs.data].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
    return [h('ul', { class: 'jobs', id: 'prefetch-list' }, ...sorted.map(j => {
      const objects = j.objects?.length ?? 0;
      const name = `${j.bucket ?? '?'}: ${objects} object${objects === 1 ? '' : 's'}`;
      return h('li', { 'data-id': j.id, 'data-state': j.state },
        h('div', { class: 'job-name key' }, name),
        h('div', { class: 'job-head' },
          h('span', { class: `badge state-${j.state}` }, j.state ?? '—'),
          h('span', { class: 'sub', title: time(j.createdAt) },
            `${bytes(j.bytesDone)} of ${bytes(j.bytesTotal)} · started ${ago(j.createdAt)}`)),
        progress(`Prefetch ${name}`, j.percent, `prefetch-${j.id}-progress`),
        ...(j.errors ?? []).map(e => h('p', { class: 'error-text' }, e)));
    }))];
  });
}
