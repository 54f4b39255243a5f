// A few lines of DOM building instead of a framework: panels rebuild their contents from data on
// every poll, and these helpers keep that readable and keep keyboard focus where the user left it.

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el: Element, attrs: Attrs, children: Child[]): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (typeof value === 'function') {
      el.addEventListener(name.replace(/^on/, ''), value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children) {
    if (child == null || child === false) continue;
    el.append(child);
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, attrs, children);
  return el;
}

export function svg(tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, attrs, children);
  return el as SVGElement;
}

/**
 * Replaces a container's contents, unless they would be the same as last time (so an unchanged
 * table is left alone while the user tabs through it). If the focused element had an id, the
 * element with the same id in the new contents gets focus back.
 */
export function render(container: HTMLElement, data: string, build: () => Child[]): void {
  // redrawn at least every 30 s even when unchanged, so "3 min ago" keeps up with the clock
  const fingerprint = `${Math.floor(Date.now() / 30_000)}|${data}`;
  if (container.dataset.fingerprint === fingerprint) return;
  const focusedId = container.contains(document.activeElement) ? document.activeElement?.id : undefined;
  container.replaceChildren(...build().filter((c): c is Node | string => c != null && c !== false));
  container.dataset.fingerprint = fingerprint;
  if (focusedId) document.getElementById(focusedId)?.focus();
}

/** A progress bar with a text label, readable by screen readers. */
export function progress(label: string, percent: number | undefined, id?: string): HTMLElement {
  const known = percent != null && Number.isFinite(percent);
  const value = known ? Math.max(0, Math.min(100, percent)) : 0;
  return h('div', {
    class: 'progress',
    role: 'progressbar',
    id,
    'aria-label': label,
    'aria-valuemin': 0,
    'aria-valuemax': 100,
    'aria-valuenow': known ? Math.round(value) : null,
    'aria-valuetext': known ? `${Math.round(value)} %` : 'unknown',
    'data-percent': known ? value : null,
  }, h('div', { class: 'progress-track', 'aria-hidden': 'true' },
    h('div', { class: 'progress-fill', style: `width: ${value}%` })),
  h('span', { class: 'progress-text', 'aria-hidden': 'true' }, known ? `${Math.round(value)} %` : '—'));
}

/** A short note in place of a panel whose endpoint this Strata does not have, or that failed. */
export function note(text: string, kind: 'muted' | 'error' = 'muted'): HTMLElement {
  return h('p', { class: `note ${kind}`, role: kind === 'error' ? 'alert' : null }, text);
}
