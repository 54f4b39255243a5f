// One object's block map as a picture: a strip as wide as the object, cached blocks filled,
// missing ones empty, and the Parquet footer (what every reader fetches first) marked.
import type { CachedObject } from '../api';
import { svg } from '../dom';
import { bytes } from '../format';

const W = 200;
const H = 14;

export function blockMap(o: CachedObject): SVGElement {
  const size = Math.max(1, o.size ?? 0);
  const blocks = o.blocks ?? [];
  const cached = blocks.filter(b => b.cached);
  const x = (offset: number) => (Math.max(0, Math.min(size, offset)) / size) * W;
  const footerCached = o.footer != null
    && blocks.some(b => b.cached && b.first <= o.footer!.first && b.last >= o.footer!.last);
  const label = `${cached.length} of ${blocks.length} blocks cached (${bytes(o.cachedBytes)} of ${bytes(o.size)})`
    + (o.footer ? `, footer ${footerCached ? 'cached' : 'not cached'}` : '');
  return svg('svg', {
    class: 'blockmap', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img',
    'aria-label': label, 'data-blocks': blocks.length, 'data-cached-blocks': cached.length,
  },
  svg('title', {}, label),
  svg('rect', { class: 'bm-missing', x: 0, y: 0, width: W, height: H }),
  ...cached.map(b => svg('rect', {
    class: 'bm-cached', x: x(b.first), y: 0, width: Math.max(0.75, x(b.last + 1) - x(b.first)), height: H,
  })),
  // block boundaries, so a half-filled strip still reads as blocks (skipped when too dense to see)
  ...(blocks.length <= W / 3 ? blocks.slice(1).map(b => svg('line', {
    class: 'bm-edge', x1: x(b.first), x2: x(b.first), y1: 0, y2: H,
  })) : []),
  o.footer && svg('rect', {
    class: `bm-footer${footerCached ? ' cached' : ''}`, x: x(o.footer.first), y: 0,
    width: Math.max(2, x(o.footer.last + 1) - x(o.footer.first)), height: H,
  }));
}

export function blockMapLegend(): HTMLElement {
  const item = (cls: string, text: string) => {
    const span = document.createElement('span');
    span.className = 'legend-item';
    span.append(svg('svg', { viewBox: '0 0 10 10', 'aria-hidden': 'true' },
      svg('rect', { class: cls, x: 0, y: 0, width: 10, height: 10 })), text);
    return span;
  };
  const legend = document.createElement('p');
  legend.className = 'legend';
  legend.append('Block map: ', item('bm-cached', 'cached'), item('bm-missing', 'not cached'),
    item('bm-footer cached', 'Parquet footer'));
  return legend;
}
