// The top of the dashboard from GET /api/status: can I work offline right now, how full is the
// cache, how well is it doing, and who uses the space.
import type { Loaded, Status } from '../api';
import { h, note, render, svg } from '../dom';
import { ago, bytes, count, DASH, ratio, time } from '../format';

export function renderBanner(banner: HTMLElement, status: Loaded<Status>): void {
  let state: string;
  let text: string;
  if (status.kind === 'error') {
    state = 'unknown';
    text = `Strata's admin server does not answer (${status.message}). Is Strata running?`;
  } else if (status.kind === 'missing' || status.data.online == null) {
    state = 'unknown';
    text = 'Online state unknown: this Strata does not report it (GET /api/status).';
  } else if (status.data.online) {
    state = 'online';
    text = `Online: the upstream answers${since(status.data.since)}. Reads fill the cache; writes upload right away.`;
  } else {
    const reason = status.data.reason ? ` (${status.data.reason})` : '';
    state = 'offline';
    text = `Offline${since(status.data.since)}${reason}. Cached data is served; writes wait in the upload queue.`;
  }
  banner.className = `banner ${state}`;
  banner.title = status.kind === 'ok' && status.data.since ? `changed ${ago(status.data.since)}` : '';
  banner.dataset.state = state;
  // aria-live announces a change only when the text changes, so set it only then
  if (banner.textContent !== text) banner.textContent = text;
}

/** Absolute, not "5 min ago": the live region would otherwise announce the banner every minute. */
function since(iso: string | undefined): string {
  return iso ? ` since ${time(iso)}` : '';
}

export function renderCache(container: HTMLElement, status: Loaded<Status>): void {
  const cache = status.kind === 'ok' ? status.data.cache : undefined;
  render(container, JSON.stringify([status.kind, cache]), () => {
    if (!cache) return [unavailable(status)];
    const max = cache.maxBytes;
    const used = cache.bytes ?? 0;
    const share = max ? Math.min(1, used / max) : undefined;
    const warnShare = max && cache.warnBytes ? Math.min(1, cache.warnBytes / max) : undefined;
    const protectedShare = max && cache.protectedBytes ? Math.min(1, cache.protectedBytes / max) : undefined;
    const above = cache.aboveWarnLevel ?? (cache.warnBytes != null && used >= cache.warnBytes);
    return [
      h('div', {
        class: `usage${above ? ' above-warn' : ''}`,
        id: 'cache-bar',
        role: 'meter',
        'aria-label': 'Cache usage',
        'aria-valuemin': 0,
        'aria-valuemax': max ?? null,
        'aria-valuenow': cache.bytes ?? null,
        'aria-valuetext': `${bytes(cache.bytes)} of ${bytes(max)}`,
        'data-bytes': cache.bytes ?? null,
      },
      h('div', { class: 'usage-fill', style: `width: ${(share ?? 0) * 100}%` }),
      protectedShare != null && h('div', {
        class: 'usage-protected', style: `width: ${protectedShare * 100}%`, title: 'Pinned: never evicted',
      }),
      warnShare != null && h('div', {
        class: 'usage-warn', style: `left: ${warnShare * 100}%`, title: `Warn level ${bytes(cache.warnBytes)}`,
      })),
      h('p', { class: 'usage-caption' },
        h('strong', {}, bytes(cache.bytes)), ` of ${bytes(max)} used`,
        share != null ? ` (${ratio(share)})` : '',
        cache.warnBytes != null ? ` · warn level ${bytes(cache.warnBytes)}` : '',
        above ? h('span', { class: 'badge warn' }, 'above warn level') : ''),
      h('dl', { class: 'facts' },
        fact('Objects', count(cache.objects)),
        fact('Blocks', count(cache.blocks)),
        fact('Pinned', bytes(cache.protectedBytes)),
        fact('Evictions', count(cache.evictions)),
        fact('Waiting to upload', status.kind === 'ok' && status.data.uploads
          ? `${count(status.data.uploads.count)} (${bytes(status.data.uploads.bytes)})` : DASH),
        fact('Last sync', status.kind === 'ok' && status.data.lastSync
          ? ago(status.data.lastSync.finishedAt ?? status.data.lastSync.startedAt) : DASH)),
    ];
  });
}

function fact(term: string, value: string): DocumentFragment {
  const f = document.createDocumentFragment();
  f.append(h('dt', {}, term), h('dd', {}, value));
  return f;
}

function unavailable(status: Loaded<Status>): HTMLElement {
  return status.kind === 'error' ? note(status.message, 'error') : note('Not reported by this Strata.');
}

const CHART_W = 320;
const CHART_H = 90;

/** Hit ratio over time: a line over the samples the server kept (one per 5 s, newest last). */
export function renderHits(container: HTMLElement, status: Loaded<Status>): void {
  const cache = status.kind === 'ok' ? status.data.cache : undefined;
  const history = status.kind === 'ok' ? status.data.history ?? [] : [];
  render(container, JSON.stringify([status.kind, cache?.hitRatio, cache?.hits, cache?.misses, history]), () => {
    if (!cache && history.length === 0) return [unavailable(status)];
    const points = history
      .map((s, i) => ({ i, r: s.hitRatio }))
      .filter((p): p is { i: number; r: number } => p.r != null && Number.isFinite(p.r));
    const n = Math.max(1, history.length - 1);
    const x = (i: number) => (i / n) * CHART_W;
    const y = (r: number) => CHART_H - Math.max(0, Math.min(1, r)) * CHART_H;
    const line = points.map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p.i).toFixed(1)},${y(p.r).toFixed(1)}`).join(' ');
    const area = points.length > 1
      ? `${line} L${x(points[points.length - 1].i).toFixed(1)},${CHART_H} L${x(points[0].i).toFixed(1)},${CHART_H} Z` : '';
    const first = history[0]?.at;
    return [
      h('p', { class: 'big', id: 'hit-ratio' }, ratio(cache?.hitRatio),
        h('span', { class: 'sub' }, ` ${count(cache?.hits)} hits · ${count(cache?.misses)} misses`)),
      svg('svg', {
        class: 'chart', viewBox: `0 0 ${CHART_W} ${CHART_H}`, preserveAspectRatio: 'none', role: 'img',
        'aria-label': points.length
          ? `Hit ratio over the last ${ago(first).replace(' ago', '')}: from ${ratio(points[0].r)} to ${ratio(points[points.length - 1].r)}`
          : 'No hit-ratio history yet',
      },
      ...[0.25, 0.5, 0.75].map(g => svg('line', { class: 'grid', x1: 0, x2: CHART_W, y1: y(g), y2: y(g) })),
      area && svg('path', { class: 'chart-area', d: area }),
      line && svg('path', { class: 'chart-line', d: line })),
      h('p', { class: 'axis' }, h('span', {}, first ? ago(first) : 'no history yet'), h('span', {}, 'now')),
    ];
  });
}

export function renderProjects(container: HTMLElement, status: Loaded<Status>): void {
  const cache = status.kind === 'ok' ? status.data.cache : undefined;
  render(container, JSON.stringify([status.kind, cache?.projects, cache?.bytes]), () => {
    const projects = cache?.projects;
    if (!projects) return [unavailable(status)];
    if (projects.length === 0) return [note('Nothing cached yet.')];
    const total = Math.max(1, cache?.bytes ?? projects.reduce((s, p) => s + (p.bytes ?? 0), 0));
    const sorted = [...projects].sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0));
    return [h('ul', { class: 'projects' }, ...sorted.map(p => h('li', {},
      h('span', { class: 'project-name' }, p.project || '(no project)'),
      h('span', { class: 'project-bar', 'aria-hidden': 'true' },
        h('span', { style: `width: ${((p.bytes ?? 0) / total) * 100}%` })),
      h('span', { class: 'project-bytes' }, bytes(p.bytes)))))];
  });
}
