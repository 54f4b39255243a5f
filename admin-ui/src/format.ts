// Numbers as a person reads them. Anything absent becomes an em dash.

export const DASH = '—';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return DASH;
  let value = n;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function count(n: number | null | undefined): string {
  return n == null || !Number.isFinite(n) ? DASH : n.toLocaleString('en');
}

/** A 0..1 share as a percentage. */
export function ratio(r: number | null | undefined): string {
  return r == null || !Number.isFinite(r) ? DASH : `${(r * 100).toFixed(1)} %`;
}

/** A value that already is a percentage. */
export function percent(p: number | null | undefined): string {
  return p == null || !Number.isFinite(p) ? DASH : `${Math.round(p)} %`;
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "3 min ago", with the exact local time available as a tooltip via {@link time}. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  const d = parse(iso);
  if (!d) return DASH;
  const s = Math.max(0, Math.round((now - d.getTime()) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

export function time(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? d.toLocaleString() : DASH;
}

/** Priority classes (PriorityClass in the proxy) by name. */
export function priority(p: number | null | undefined, pinned?: boolean): string {
  if (pinned || p === 2147483647) return 'pinned';
  switch (p) {
    case 0: return 'default';
    case 5: return 'recent';
    case 8: return 'favorite';
    case 10: return 'visible';
    case undefined:
    case null: return DASH;
    default: return String(p);
  }
}
