// MOS dashboard: plain browser JavaScript modules, no build step. Data comes from /api/v1 (REST) and live updates
// from the /api/v1/stream Server-Sent Events stream. This module wires the others together: which session and
// operation are selected, the address, the live updates.
import {api, AuthError, initTokenForm, loadSignIn, stream} from './api.js';
import {detailsOpen, hideDetails, initDetails, showDetails} from './details.js';
import {renderHeader} from './header.js';
import {loadHealth, renderAlerts, renderTools} from './panels.js';
import {onRoute, parseRoute, setRoute} from './router.js';
import {initSearch} from './search.js';
import {initSessions, loadSessions, markSelectedSession} from './sessions.js';
import {state} from './state.js';
import {initTree, markSelectedInTree, renderTree, ROW_BUDGET} from './tree.js';
import {liveDuration, initWaterfall, markSelectedInWaterfall, renderWaterfall, resetView, tick} from './waterfall.js';
import {$, esc, fmtMs} from './util.js';

let treeTimer = null;
let listTimer = null;
let pendingOpen = null; // an operation named in the address, opened once its tree is drawn

function showError(e) {
  if (e instanceof AuthError) return;
  $('session-header').insertAdjacentHTML('beforeend', `<p class="error-text">${esc(e.message)}</p>`);
}

function scheduleList() {
  if (listTimer) return;
  listTimer = setTimeout(() => { listTimer = null; refreshList().catch(showError); }, 500);
}

function scheduleTree() {
  if (treeTimer) return;
  treeTimer = setTimeout(() => { treeTimer = null; loadTree().catch(showError); }, 150);
}

async function refreshList() {
  const sessions = await loadSessions();
  if (!state.selected && sessions.length) selectSession(sessions[0].session_id, null);
}

function selectSession(id, op) {
  const same = id === state.selected;
  state.selected = id;
  if (!same) {
    state.collapsed.clear();
    state.expanded.clear();
    state.rowBudget = ROW_BUDGET;
    state.selectedOp = null;
    state.tree = null;
    resetView();
    hideDetails();
  }
  markSelectedSession(id);
  pendingOpen = op;
  if (op) state.selectedOp = op;
  setRoute(id, op || (same ? state.selectedOp : null));
  renderAlerts();
  if (!same || op) loadTree().catch(showError);
}

/** Selects an operation in both views; open: show its details (they also follow the selection while open). */
function selectOp(id, {open = false, scroll = true} = {}) {
  const node = state.nodes.get(id);
  if (!node) return;
  state.selectedOp = id;
  markSelectedInTree(id, scroll);
  markSelectedInWaterfall(id, scroll);
  setRoute(state.selected, id);
  if (open || detailsOpen()) showDetails(state.selected, node);
}

function closeDetails() {
  hideDetails();
  setRoute(state.selected, null);
}

// Timings of the last render, read by DashboardRenderBench (ms since navigation start).
window.mosTimings = {};

async function loadTree() {
  const id = state.selected;
  if (!id) return;
  const enc = encodeURIComponent(id);
  const timings = {requested: performance.now()};
  // compact=true: only what is drawn (no attributes, event ids or progress): about half the bytes, no details parsed
  const [tree, tools] = await Promise.all([api(`/api/v1/sessions/${enc}/tree?max_depth=100&compact=true`),
    api(`/api/v1/sessions/${enc}/analytics`)]);
  if (id !== state.selected) return;
  timings.parsed = performance.now();
  const t0 = performance.now();
  state.tree = tree;
  renderHeader(tree);
  renderTree(tree);
  renderWaterfall(tree);
  renderTools(tools.tools);
  if (pendingOpen && state.nodes.has(pendingOpen)) {
    const op = pendingOpen;
    pendingOpen = null;
    selectOp(op, {open: true});
  } else if (state.selectedOp && !state.nodes.has(state.selectedOp)) {
    state.selectedOp = null;
  }
  timings.built = performance.now();
  window.mosLastRenderMs = timings.built - t0;
  document.body.dataset.renderedSequence = tree.last_sequence;
  // The frame after this task has been laid out and painted once the next task after it runs.
  requestAnimationFrame(() => setTimeout(() => {
    timings.painted = performance.now();
    window.mosTimings = timings;
    document.body.dataset.paintedSequence = tree.last_sequence;
  }, 0));
}

function setConn(on) {
  $('conn').className = 'conn ' + (on ? 'on' : 'off');
  $('conn').textContent = on ? 'live' : 'offline';
}

function onStreamEvent(event, body) {
  if (event === 'activity') {
    scheduleList();
    if (body.session_id === state.selected) scheduleTree();
  } else if (event === 'alert') {
    state.alerts.push(body);
    if (state.alerts.length > 500) state.alerts.shift();
    if (body.session_id === state.selected) renderAlerts();
  }
}

// Running operations grow between two reads of the tree: their bars and durations follow the clock.
setInterval(() => {
  if (!tick()) return;
  for (const li of document.querySelectorAll('#tree .op.running')) {
    const n = state.nodes.get(li.dataset.id);
    const dur = li.querySelector(':scope > .row > .dur');
    if (n && dur) dur.textContent = fmtMs(liveDuration(n)) + ' running';
  }
  const open = detailsOpen() && state.nodes.get($('details').dataset.op);
  const shown = open && open.status === 'running' && $('details').querySelector('[data-key=duration_ms] .v');
  if (shown) shown.textContent = fmtMs(liveDuration(open)) + ' so far';
}, 250);

// A running operation's duration is computed by the server at read time: re-read now and then while any runs.
setInterval(() => {
  if (state.selected && document.querySelector('#tree .op.running')) scheduleTree();
}, 2000);

const handlers = {
  select: (id, how) => selectOp(id, how),
  open: (id) => selectOp(id, {open: true}),
  close: closeDetails,
  more: scheduleTree,
};
initTree(handlers);
initWaterfall(handlers);
initDetails(closeDetails);
initSessions((id) => selectSession(id, null), scheduleList);
initSearch();
initTokenForm(start);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && detailsOpen() && !e.defaultPrevented) closeDetails();
});
onRoute((route) => {
  if (!route.session) return;
  if (route.session !== state.selected) selectSession(route.session, route.op);
  else if (route.op && route.op !== state.selectedOp) {
    if (state.nodes.has(route.op)) selectOp(route.op, {open: true}); else selectSession(route.session, route.op);
  } else if (!route.op && detailsOpen()) hideDetails();
});

async function start() {
  const route = parseRoute();
  if (route.session && !state.selected) {
    state.selected = route.session;
    state.selectedOp = route.op;
    pendingOpen = route.op;
  }
  try {
    // A session named in the address is fetched alongside the list, not after it.
    await Promise.all([refreshList(), state.selected ? loadTree() : null]);
  } catch (e) {
    if (e instanceof AuthError) return;
    showError(e);
  }
  stream({event: onStreamEvent, connected: setConn, reconnected: () => { scheduleList(); scheduleTree(); }});
}

loadHealth().catch(() => {});
setInterval(() => loadHealth().catch(() => {}), 5000);
loadSignIn().catch(() => {}).finally(start);
