// The timeline: one row per operation on a shared time axis, with zoom and pan. Rows are virtualised: the canvas
// has every row's height but only the rows in view (plus a margin) exist in the DOM, redrawn on scroll.
// Mouse: Ctrl+wheel (or the wheel over the axis) zooms around the pointer, Shift+wheel or dragging pans.
// Keys (timeline focused): + and - zoom, Left/Right pan, 0 resets, Up/Down move the selection, Enter opens the
// details, Escape closes them. Running operations grow with the clock between two reads of the tree.
import {icon} from './icons.js';
import {nodeTitle} from './tree.js';
import {state} from './state.js';
import {$, applyGeometry, esc, fmtMs} from './util.js';

const ROW_PX = 18;
const MIN_SPAN_MS = 2;
const wf = {rows: [], rowOf: new Map(), min: 0, span: 1, view: null, drawn: '', handlers: null, fetchedAt: 0};

/** A running operation's duration now: the server's figure at read time plus the time since. */
export function liveDuration(n) {
  const d = n.duration_ms || 0;
  return n.status === 'running' ? d + Math.max(0, performance.now() - wf.fetchedAt) : d;
}

function extent() {
  let min = Infinity, max = -Infinity;
  for (const [n] of wf.rows) {
    if (n.start_ms < min) min = n.start_ms;
    const end = n.start_ms + liveDuration(n);
    if (end > max) max = end;
  }
  wf.min = min;
  wf.span = Math.max(1, max - min);
}

/** The window shown, in ms from the session's first start: all of it unless zoomed. */
function view() {
  if (!wf.view) return {start: 0, end: wf.span};
  return wf.view;
}

export function resetView() {
  wf.view = null;
}

export function renderWaterfall(tree) {
  const rows = [];
  const walk = (n, depth) => { rows.push([n, depth]); if (n.children) for (const c of n.children) walk(c, depth + 1); };
  for (const n of tree.tree) walk(n, 0);
  wf.rows = rows;
  wf.rowOf = new Map(rows.map(([n], i) => [n.id, i]));
  wf.fetchedAt = performance.now();
  const box = $('waterfall');
  if (!rows.length) {
    box.innerHTML = '<p class="hint">No operations yet.</p>';
    $('wf-range').textContent = '';
    return;
  }
  extent();
  if (!box.querySelector('.wf-canvas')) {
    box.innerHTML = '<div class="wf-axis"><span class="wf-axis-label">time</span><div class="wf-ticks"></div></div>'
      + '<div class="wf-canvas"><div class="wf-grid"></div><div class="wf-window"></div></div>';
  }
  box.querySelector('.wf-canvas').style.height = (rows.length * ROW_PX) + 'px';
  wf.drawn = '';
  draw();
}

/** Nice tick step for about `count` ticks over `span` ms. */
function tickStep(span, count) {
  const raw = span / Math.max(1, count);
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

function fmtOffset(ms, step) {
  if (ms === 0) return '0';
  if (step < 1000) return (ms >= 1000 ? (ms / 1000).toFixed(step < 100 ? 3 : step < 1000 ? 1 : 0) + 's' : Math.round(ms) + 'ms');
  if (ms < 60000) return (ms / 1000).toFixed(step % 1000 ? 1 : 0) + 's';
  return fmtMs(ms);
}

function drawAxis(box, v) {
  const ticksBox = box.querySelector('.wf-ticks');
  const width = ticksBox.clientWidth || 600;
  const span = v.end - v.start;
  const step = tickStep(span, Math.max(2, Math.floor(width / 70)));
  const first = Math.ceil(v.start / step) * step;
  const ticks = [], lines = [];
  for (let t = first; t <= v.end + 1e-9; t += step) {
    const pct = ((t - v.start) / span * 100).toFixed(3);
    ticks.push(`<span class="wf-tick" data-left="${pct}">${fmtOffset(t, step)}</span>`);
    lines.push(`<span class="wf-line" data-left="${pct}"></span>`);
  }
  const html = ticks.join('');
  if (ticksBox.dataset.html !== html) {
    ticksBox.innerHTML = html;
    ticksBox.dataset.html = html;
    applyGeometry(ticksBox);
    const grid = box.querySelector('.wf-grid');
    grid.innerHTML = lines.join('');
    applyGeometry(grid);
  }
  const zoom = wf.span / span;
  $('wf-range').textContent = wf.view
    ? `showing ${fmtMs(v.start)} – ${fmtMs(v.end)} of ${fmtMs(wf.span)} (x${zoom < 10 ? zoom.toFixed(1) : Math.round(zoom)})`
    : `${fmtMs(wf.span)} in all`;
}

/** Draws the axis and the rows in view. */
export function draw() {
  const box = $('waterfall');
  const win = box.querySelector('.wf-window');
  if (!win || !wf.rows.length) return;
  const v = view();
  const span = v.end - v.start;
  drawAxis(box, v);
  const visible = Math.ceil((box.clientHeight || window.innerHeight * 0.5) / ROW_PX);
  const first = Math.max(0, Math.floor(box.scrollTop / ROW_PX) - 10);
  const last = Math.min(wf.rows.length, first + visible + 20);
  const out = [];
  for (let i = first; i < last; i++) {
    const [n, depth] = wf.rows[i];
    const dur = liveDuration(n);
    const left = (n.start_ms - wf.min - v.start) / span * 100;
    const right = left + dur / span * 100;
    const l = Math.max(-1, left), r = Math.min(101, right);
    const title = nodeTitle(n);
    const bar = r < 0 || l > 100 ? '' : `<div class="wf-bar ${n.status}${n.slow ? ' slow' : ''}" data-left="${l.toFixed(3)}" data-width="${Math.max(0, r - l).toFixed(3)}"
      title="${esc(title)} ${fmtMs(dur)}"></div>`;
    out.push(`<div class="wf-row${n.id === state.selectedOp ? ' selected' : ''}" data-id="${esc(n.id)}"><span class="wf-label" data-pad="${(depth * 0.6).toFixed(1)}"
      title="${esc(title)}">${esc(title)}</span><div class="wf-track">${bar}</div></div>`);
  }
  const html = out.join('');
  win.style.transform = `translateY(${first * ROW_PX}px)`;
  if (html !== wf.drawn) { win.innerHTML = html; wf.drawn = html; applyGeometry(win); }
}

/** Redraws when something runs, so its bar grows and the axis follows. Returns whether anything runs. */
export function tick() {
  if (!wf.rows.length || !wf.rows.some(([n]) => n.status === 'running')) return false;
  extent();
  draw();
  return true;
}

function setView(start, end) {
  let span = Math.max(MIN_SPAN_MS, end - start);
  if (span >= wf.span) { wf.view = null; draw(); return; }
  start = Math.max(0, Math.min(start, wf.span - span));
  wf.view = {start, end: start + span};
  draw();
}

/** Zooms by factor k (>1 in) keeping the time under fraction `at` (0..1 of the track) in place. */
export function zoom(k, at = 0.5) {
  const v = view();
  const span = v.end - v.start;
  const anchor = v.start + at * span;
  const next = span / k;
  setView(anchor - at * next, anchor - at * next + next);
}

/** Pans by a fraction of the window (negative: earlier). */
export function pan(fraction) {
  if (!wf.view) return;
  const v = view();
  const d = (v.end - v.start) * fraction;
  setView(v.start + d, v.end + d);
}

/** Highlights the selected row; scrolls it into view and, when zoomed, pans its bar into the window. */
export function markSelectedInWaterfall(id, scroll) {
  const box = $('waterfall');
  box.querySelectorAll('.wf-row.selected').forEach((r) => r.classList.remove('selected'));
  const i = wf.rowOf.get(id);
  if (i == null) return;
  if (scroll) {
    const top = i * ROW_PX, height = box.clientHeight - ROW_PX * 2; // the sticky axis covers the top rows
    if (top < box.scrollTop || top > box.scrollTop + height) box.scrollTop = Math.max(0, top - height / 2);
    const n = wf.rows[i][0];
    const v = view();
    const start = n.start_ms - wf.min, end = start + liveDuration(n);
    if (wf.view && (end < v.start || start > v.end)) {
      const span = v.end - v.start;
      setView(start - span / 4, start - span / 4 + span);
    }
  }
  wf.drawn = '';
  draw();
}

function trackFraction(box, clientX) {
  const t = box.querySelector('.wf-ticks').getBoundingClientRect();
  return {fraction: Math.max(0, Math.min(1, (clientX - t.left) / Math.max(1, t.width))), width: t.width, left: t.left};
}

/** handlers: select(id, {open}), open(id), close(). */
export function initWaterfall(handlers) {
  const box = $('waterfall');
  box.tabIndex = 0;
  let frame = 0;
  box.addEventListener('scroll', () => {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; draw(); });
  });
  box.addEventListener('wheel', (e) => {
    if (!wf.rows.length) return;
    const overAxis = !!e.target.closest('.wf-axis');
    const {fraction} = trackFraction(box, e.clientX);
    if (e.ctrlKey || e.metaKey || overAxis) {
      e.preventDefault();
      zoom(Math.pow(1.0015, -e.deltaY), fraction);
    } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      if (!wf.view) return;
      e.preventDefault();
      pan((e.shiftKey ? e.deltaY || e.deltaX : e.deltaX) / 600);
    }
  }, {passive: false});
  // Drag on the track pans; a press that does not move is a click and selects the row.
  let drag = null;
  box.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || !e.target.closest('.wf-track, .wf-axis')) return;
    const {width} = trackFraction(box, e.clientX);
    drag = {x: e.clientX, width, view: view(), moved: false};
  });
  window.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    if (!drag.moved && Math.abs(dx) < 4) return;
    drag.moved = true;
    box.classList.add('dragging');
    const span = drag.view.end - drag.view.start;
    if (span >= wf.span) return; // nothing to pan: all of it is shown
    const dt = -dx / drag.width * span;
    setView(drag.view.start + dt, drag.view.end + dt);
  });
  window.addEventListener('pointerup', () => {
    if (drag && drag.moved) box.dataset.dragged = '1';
    drag = null;
    box.classList.remove('dragging');
  });
  box.addEventListener('click', (e) => {
    if (box.dataset.dragged) { delete box.dataset.dragged; return; }
    const row = e.target.closest('.wf-row');
    if (row) handlers.select(row.dataset.id, {open: true});
  });
  box.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const cur = state.selectedOp != null ? wf.rowOf.get(state.selectedOp) ?? -1 : -1;
    const go = (i) => {
      if (!wf.rows.length) return;
      handlers.select(wf.rows[Math.max(0, Math.min(wf.rows.length - 1, i))][0].id, {open: false});
    };
    switch (e.key) {
      case '+': case '=': zoom(1.5); break;
      case '-': case '_': zoom(1 / 1.5); break;
      case '0': wf.view = null; draw(); break;
      case 'ArrowLeft': pan(-0.2); break;
      case 'ArrowRight': pan(0.2); break;
      case 'ArrowDown': go(cur + 1); break;
      case 'ArrowUp': go(cur < 0 ? 0 : cur - 1); break;
      case 'Enter': if (cur >= 0) handlers.open(state.selectedOp); break;
      case 'Escape': handlers.close(); break;
      default: return;
    }
    e.preventDefault();
  });
  $('wf-zoom-in').innerHTML = icon('zoomIn', 'zoom in');
  $('wf-zoom-out').innerHTML = icon('zoomOut', 'zoom out');
  $('wf-reset').innerHTML = icon('reset', 'reset zoom');
  $('wf-zoom-in').addEventListener('click', () => zoom(1.5));
  $('wf-zoom-out').addEventListener('click', () => zoom(1 / 1.5));
  $('wf-reset').addEventListener('click', () => { wf.view = null; draw(); });
  window.addEventListener('resize', () => { wf.drawn = ''; draw(); });
}

/** The current window, for tests and the bench: {start, end, span} in ms. */
window.mosWaterfallView = () => ({...view(), span: wf.span, zoomed: !!wf.view});
