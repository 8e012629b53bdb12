// Small helpers shared by the dashboard's modules: DOM lookup, escaping, number and time formats.

export const $ = (id) => document.getElementById(id);

export const esc = (s) => String(s ?? '').replace(/[&<>"']/g,
  (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** "1 error", "3 errors": a count with its noun, singular for one. */
export const count = (n, noun, plural = noun + 's') => `${n} ${Number(n) === 1 ? noun : plural}`;

export function fmtMs(ms) {
  if (ms == null) return '';
  if (ms < 1000) return Math.round(ms) + 'ms';
  if (ms < 60000) return (ms / 1000).toFixed(1) + 's';
  if (ms < 3600000) return Math.floor(ms / 60000) + 'm' + Math.round((ms % 60000) / 1000) + 's';
  return Math.floor(ms / 3600000) + 'h' + Math.round((ms % 3600000) / 60000) + 'm';
}

export function fmtCost(usd) {
  if (usd == null || usd === '') return '';
  const n = Number(usd);
  return '$' + (n >= 1 ? n.toFixed(2) : n.toFixed(4));
}

export const fmtTokens = (n) => Number(n ?? 0).toLocaleString('en-US');

export const baseName = (path) => String(path).replace(/[\\/]+$/, '').split(/[\\/]/).pop() || String(path);

export function fmtTime(value) {
  if (value == null) return '';
  const d = new Date(value);
  return isNaN(d) ? String(value) : d.toISOString().replace('T', ' ').replace('Z', ' UTC');
}

// The Content-Security-Policy forbids style attributes in markup; positions and widths go through the CSSOM.
export function applyGeometry(root) {
  for (const el of root.querySelectorAll('[data-left],[data-width],[data-pad]')) {
    if (el.dataset.left != null) el.style.left = el.dataset.left + '%';
    if (el.dataset.width != null) el.style.width = el.dataset.width + '%';
    if (el.dataset.pad != null) el.style.paddingLeft = el.dataset.pad + 'rem';
  }
}
