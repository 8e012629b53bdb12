'use strict';
// MOS dashboard: plain browser JavaScript, no build step. Data comes from /api/v1 (REST) and live updates from
// the /api/v1/stream Server-Sent Events stream, read with fetch() so that the bearer token travels in a header
// (EventSource cannot send headers, and a token in a URL would end up in logs).

const state = {
  token: sessionStorage.getItem('mos-token'),
  selected: null,
  cursor: null,
  collapsed: new Set(),   // operations the user closed
  expanded: new Set(),    // operations the user opened in a big tree (closed by default there)
  projects: new Set(),    // every project seen in a listing, for the filter
  rowBudget: 0,
  alerts: [],
  treeTimer: null,
  listTimer: null,
  lastHealth: null,
  streaming: false,
};

class AuthError extends Error {}

const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function fmtMs(ms) {
  if (ms == null) return '';
  if (ms < 1000) return ms + 'ms';
  if (ms < 60000) return (ms / 1000).toFixed(1) + 's';
  return Math.floor(ms / 60000) + 'm' + Math.round((ms % 60000) / 1000) + 's';
}

function headers(extra) {
  const h = Object.assign({Accept: 'application/json'}, extra || {});
  if (state.token) h.Authorization = 'Bearer ' + state.token;
  return h;
}

async function api(path) {
  const r = await fetch(path, {headers: headers()});
  if (r.status === 401) {
    askToken(state.token ? 'The token was refused.' : '');
    throw new AuthError();
  }
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
  return body;
}

function askToken(message) {
  $('token-form').hidden = false;
  $('token-error').textContent = message || '';
  $('token-input').focus();
}

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  state.token = $('token-input').value.trim();
  sessionStorage.setItem('mos-token', state.token);
  $('token-form').hidden = true;
  start();
});

// ---- session list ----------------------------------------------------------------------------------------------

function fmtCost(usd) {
  if (usd == null) return '';
  return '$' + (usd >= 1 ? usd.toFixed(2) : usd.toFixed(4));
}

function fmtTokens(n) {
  return (n ?? 0).toLocaleString('en-US');
}

const baseName = (path) => String(path).replace(/[\\/]+$/, '').split(/[\\/]/).pop() || String(path);

async function loadSessions() {
  const q = $('filter').value.trim();
  const project = $('project-filter').value;
  const body = await api('/api/v1/sessions?limit=200' + (q ? '&q=' + encodeURIComponent(q) : '')
    + (project ? '&project=' + encodeURIComponent(project) : ''));
  const html = body.sessions.map((s) => {
    const m = s.metrics;
    const u = s.usage;
    return `<li class="session${s.session_id === state.selected ? ' selected' : ''}" data-id="${esc(s.session_id)}">
      <div><span class="sid">${esc(s.session_id)}</span> <span class="badge ${esc(s.status)}">${esc(s.status)}</span></div>
      <div class="cols"><span class="project" title="${esc(s.project || 'no project reported')}">${s.project ? '📁 ' + esc(baseName(s.project)) : '<span class="hint">no project</span>'}</span>
      <span class="cost" title="${u ? esc(fmtTokens(u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_creation_tokens) + ' tokens') : 'no tokens or cost reported'}">${u ? esc(fmtCost(u.cost_usd)) : '—'}</span></div>
      <div class="meta"><span class="duration">${fmtMs(m.total_duration_ms)}</span> · <span class="tools">${m.tool_calls} tool calls</span>
      · <span class="errors">${m.errors} errors</span>${m.running ? ` · <span class="running">${m.running} running</span>` : ''}
      · ${s.event_count} events</div></li>`;
  }).join('');
  $('sessions').innerHTML = html || '<li class="hint">No sessions' + (q || project ? ' match the filter.' : ' yet: log an event.') + '</li>';
  updateProjects(body.sessions);
  if (!state.selected && body.sessions.length) select(body.sessions[0].session_id);
}

function updateProjects(sessions) {
  const before = state.projects.size;
  for (const s of sessions) if (s.project) state.projects.add(s.project);
  if (state.projects.size === before && $('project-filter').options.length > 1) return;
  const current = $('project-filter').value;
  $('project-filter').innerHTML = '<option value="">all projects</option>' + [...state.projects].sort()
    .map((p) => `<option value="${esc(p)}"${p === current ? ' selected' : ''}>${esc(baseName(p))} — ${esc(p)}</option>`).join('');
}

function scheduleList() {
  if (state.listTimer) return;
  state.listTimer = setTimeout(() => { state.listTimer = null; loadSessions().catch(showError); }, 500);
}

$('sessions').addEventListener('click', (e) => {
  const li = e.target.closest('.session');
  if (li) select(li.dataset.id);
});
$('filter').addEventListener('input', scheduleList);
$('project-filter').addEventListener('change', () => loadSessions().catch(showError));

function select(id) {
  state.selected = id;
  state.collapsed.clear();
  state.expanded.clear();
  state.rowBudget = ROW_BUDGET;
  document.querySelectorAll('.session').forEach((li) => li.classList.toggle('selected', li.dataset.id === id));
  location.hash = 'session=' + encodeURIComponent(id);
  renderAlerts();
  loadTree().catch(showError);
}

// ---- one session: tree, waterfall, tools -----------------------------------------------------------------------

function scheduleTree() {
  if (state.treeTimer) return;
  state.treeTimer = setTimeout(() => { state.treeTimer = null; loadTree().catch(showError); }, 150);
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
  renderHeader(tree);
  renderTree(tree);
  renderWaterfall(tree);
  renderTools(tools.tools);
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

const ICONS = {task: '📋', tool: '🔧', mcp: '🔌', subagent: '🤖', llm: '🧠'};
const STATE = {success: '✅', error: '❌', timeout: '⏱', running: ''};
// Above this many operations, subtrees start closed (except those with running work) and the tree draws at most
// ROW_BUDGET rows until asked for more: a 10,000-event session stays a few hundred DOM rows.
const BIG_TREE = 1000;
const ROW_BUDGET = 1500;
state.rowBudget = ROW_BUDGET;

function renderHeader(tree) {
  const s = tree.session;
  const m = s.metrics;
  const u = s.usage;
  let usage = '<p class="usage hint">Tokens and cost: not reported.</p>';
  if (u) {
    const models = Object.entries(u.by_model || {}).map(([model, x]) => `<span class="model" data-model="${esc(model)}">${esc(model)}
      <b>${esc(fmtCost(x.cost_usd))}</b> · ${fmtTokens(x.input_tokens)} in · ${fmtTokens(x.output_tokens)} out
      · ${fmtTokens(x.cache_read_tokens)} cache read · ${fmtTokens(x.cache_creation_tokens)} cache write</span>`).join('');
    usage = `<p class="usage"><span id="session-cost" class="cost">${esc(fmtCost(u.cost_usd))}</span>
      <span id="session-tokens">${fmtTokens(u.input_tokens)} in · ${fmtTokens(u.output_tokens)} out
      · ${fmtTokens(u.cache_read_tokens)} cache read · ${fmtTokens(u.cache_creation_tokens)} cache write</span>
      <span class="hint">(${u.source === 'otel_metrics' ? 'from OTel metrics' : u.llm_calls + ' LLM calls'})</span></p>
      <div class="models">${models}</div>`;
  }
  $('session-header').innerHTML = `<h2>Session <span id="current-session">${esc(s.session_id)}</span>
    <span class="badge ${esc(s.status)}">${esc(s.status)}</span></h2>
    <p class="meta">${s.project ? `<span id="session-project" title="${esc(s.project)}">📁 ${esc(s.project)}</span> · ` : ''}${tree.operation_count} operations · ${tree.running_count} running · ${m.tool_calls} tool calls
    · ${m.errors} errors · ${fmtMs(m.total_duration_ms)} · slow above ${fmtMs(tree.slow_threshold_ms)}
    ${s.dropped_events ? ` · ${s.dropped_events} oldest events dropped` : ''}</p>${usage}`;
}

/** Marks each node that is or holds running work (n.live) and indexes nodes by id. */
function index(nodes, byId) {
  let any = false;
  for (const n of nodes) {
    byId.set(n.id, n);
    const kids = n.children ? index(n.children, byId) : false;
    n.live = n.status === 'running' || kids;
    any = any || n.live;
  }
  return any;
}

function isCollapsed(n) {
  if (state.collapsed.has(n.id)) return true;
  return state.bigTree && !n.live && !state.expanded.has(n.id);
}

function nodeHtml(n, out, budget) {
  if (budget.left <= 0) { budget.skipped += size(n); return; }
  budget.left--;
  const hasKids = n.children && n.children.length;
  const collapsed = hasKids && isCollapsed(n);
  const cls = ['op', 'kind-' + n.kind, n.status];
  if (n.slow) cls.push('slow');
  if (collapsed) cls.push('collapsed');
  const icon = n.icon || ICONS[n.kind] || '•';
  out.push(`<li class="${cls.join(' ')}" data-id="${esc(n.id)}"><div class="row">`,
    `<span class="toggle">${hasKids ? (collapsed ? '▸' : '▾') : ''}</span>`,
    `<span class="icon">${esc(icon)}</span><span class="name">${esc(n.name)}</span>`,
    `<span class="state">${STATE[n.status] || ''}</span><span class="dur">${fmtMs(n.duration_ms)}${n.status === 'running' ? ' running' : ''}</span>`);
  if (collapsed) out.push(`<span class="hint kids">${n.children.length} inside</span>`);
  if (n.slow) out.push('<span class="slowtag">🐢 SLOW</span>');
  if (n.error) out.push(`<span class="errmsg">← ERROR: ${esc(n.error)}</span>`);
  out.push('</div>');
  // A closed subtree is not drawn at all: its rows are built when it is opened.
  if (hasKids && !collapsed) childrenHtml(n, out, budget);
  out.push('</li>');
}

const size = (n) => 1 + (n.children ? n.children.reduce((sum, c) => sum + size(c), 0) : 0);

function childrenHtml(n, out, budget) {
  out.push('<ul>');
  for (const c of n.children) nodeHtml(c, out, budget);
  out.push('</ul>');
}

function renderTree(tree) {
  state.nodes = new Map();
  index(tree.tree, state.nodes);
  state.bigTree = tree.operation_count > BIG_TREE;
  const budget = {left: state.rowBudget, skipped: 0};
  const out = ['<ul>'];
  for (const n of tree.tree) nodeHtml(n, out, budget);
  out.push('</ul>');
  if (budget.skipped) {
    out.push(`<p class="hint more-rows">${budget.skipped} more operations not drawn
      <button type="button" id="more-rows">show ${ROW_BUDGET} more</button></p>`);
  }
  $('tree').innerHTML = tree.tree.length ? out.join('') : '<p class="hint">No operations yet.</p>';
}

$('tree').addEventListener('click', (e) => {
  if (e.target.id === 'more-rows') {
    state.rowBudget += ROW_BUDGET;
    scheduleTree();
    return;
  }
  if (!e.target.classList.contains('toggle')) return;
  const li = e.target.closest('.op');
  const id = li.dataset.id;
  const closing = !li.classList.contains('collapsed');
  if (closing) { state.collapsed.add(id); state.expanded.delete(id); } else { state.collapsed.delete(id); state.expanded.add(id); }
  li.classList.toggle('collapsed', closing);
  e.target.textContent = closing ? '▸' : '▾';
  const node = state.nodes && state.nodes.get(id);
  if (!closing && node && node.children && !li.querySelector(':scope > ul')) {
    const out = [];
    childrenHtml(node, out, {left: ROW_BUDGET, skipped: 0});
    li.insertAdjacentHTML('beforeend', out.join(''));
    const kids = li.querySelector(':scope > .row > .kids');
    if (kids) kids.remove();
  }
});

// The timeline is virtualised: every operation has a fixed-height row in a scrolling canvas, but only the rows in
// view (plus a margin) exist in the DOM, redrawn on scroll.
const WF_ROW_PX = 18;
const wf = {rows: [], min: 0, span: 1, drawn: ''};

function renderWaterfall(tree) {
  const rows = [];
  const walk = (n, depth) => { rows.push([n, depth]); if (n.children) for (const c of n.children) walk(c, depth + 1); };
  for (const n of tree.tree) walk(n, 0);
  const box = $('waterfall');
  if (!rows.length) { box.innerHTML = ''; wf.rows = []; return; }
  let min = Infinity, max = -Infinity;
  for (const [n] of rows) {
    min = Math.min(min, n.start_ms);
    max = Math.max(max, n.start_ms + (n.duration_ms || 0));
  }
  Object.assign(wf, {rows, min, span: Math.max(1, max - min), drawn: ''});
  if (!box.firstElementChild || !box.firstElementChild.classList.contains('wf-canvas')) {
    box.innerHTML = '<div class="wf-canvas"><div class="wf-window"></div></div>';
  }
  box.firstElementChild.style.height = (rows.length * WF_ROW_PX) + 'px';
  drawWaterfall();
}

function drawWaterfall() {
  const box = $('waterfall');
  const win = box.querySelector('.wf-window');
  if (!win) return;
  const visible = Math.ceil((box.clientHeight || window.innerHeight * 0.6) / WF_ROW_PX);
  const first = Math.max(0, Math.floor(box.scrollTop / WF_ROW_PX) - 10);
  const last = Math.min(wf.rows.length, first + visible + 20);
  const out = [];
  for (let i = first; i < last; i++) {
    const [n, depth] = wf.rows[i];
    const left = ((n.start_ms - wf.min) / wf.span) * 100;
    const width = ((n.duration_ms || 0) / wf.span) * 100;
    out.push(`<div class="wf-row" data-id="${esc(n.id)}"><span class="wf-label" style="padding-left:${depth * 0.6}rem"
      title="${esc(n.name)}">${esc(n.name)}</span><div class="wf-track"><div class="wf-bar ${n.status}${n.slow ? ' slow' : ''}"
      style="left:${left.toFixed(3)}%;width:${width.toFixed(3)}%" title="${esc(n.name)} ${fmtMs(n.duration_ms)}"></div></div></div>`);
  }
  const html = out.join('');
  win.style.transform = `translateY(${first * WF_ROW_PX}px)`;
  if (html !== wf.drawn) { win.innerHTML = html; wf.drawn = html; }
}

let wfFrame = 0;
$('waterfall').addEventListener('scroll', () => {
  if (!wfFrame) wfFrame = requestAnimationFrame(() => { wfFrame = 0; drawWaterfall(); });
});

function renderTools(tools) {
  if (!tools.length) { $('tools').innerHTML = '<p class="hint">No tool calls yet.</p>'; return; }
  const maxP95 = Math.max(1, ...tools.map((t) => t.p95_ms));
  $('tools').innerHTML = '<div class="tool-chart">' + tools.map((t) => `
    <span class="wf-label">${esc(t.tool)}</span>
    <div><div class="tool-bar" style="width:${(t.p95_ms / maxP95 * 100).toFixed(1)}%" title="p95 ${t.p95_ms}ms"></div>
    <div class="tool-bar err" style="width:${(t.error_rate * 100).toFixed(1)}%" title="error rate"></div></div>
    <span class="tool-stats" data-tool="${esc(t.tool)}">${t.calls} calls · ${t.errors} err · p50 ${fmtMs(t.p50_ms)} · p95 ${fmtMs(t.p95_ms)}</span>`).join('') + '</div>';
}

function renderAlerts() {
  const mine = state.alerts.filter((a) => a.session_id === state.selected).slice(-10).reverse();
  $('alerts').innerHTML = mine.map((a) => `<div class="alert ${esc(a.alert)}">${a.alert === 'slow' ? '🐢' : '❌'}
    ${esc(a.name || a.event_type)}: ${a.alert === 'slow' ? `took ${fmtMs(a.duration_ms)} (slow above ${fmtMs(a.threshold_ms)})` : esc(a.message || 'failed')}</div>`).join('');
}

// ---- live stream -----------------------------------------------------------------------------------------------

function setConn(on) {
  $('conn').className = 'conn ' + (on ? 'on' : 'off');
  $('conn').textContent = on ? 'live' : 'offline';
}

function handleBlock(block) {
  let event = 'message', data = '', id = null;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'event') event = value; else if (field === 'data') data += value; else if (field === 'id') id = value;
  }
  if (id) state.cursor = id;
  if (!data) return;
  const body = JSON.parse(data);
  if (event === 'activity') {
    scheduleList();
    if (body.session_id === state.selected) scheduleTree();
  } else if (event === 'alert') {
    state.alerts.push(body);
    if (state.alerts.length > 500) state.alerts.shift();
    if (body.session_id === state.selected) renderAlerts();
  } else if (event === 'lag') {
    state.cursor = body.resync_cursor;
  }
}

async function stream() {
  if (state.streaming) return;
  state.streaming = true;
  while (true) {
    try {
      const h = headers({Accept: 'text/event-stream'});
      if (state.cursor) h['Last-Event-ID'] = state.cursor;
      const r = await fetch('/api/v1/stream', {headers: h});
      if (r.status === 401) { setConn(false); state.streaming = false; askToken('The token was refused.'); return; }
      if (!r.ok) throw new Error('stream HTTP ' + r.status);
      setConn(true);
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      let buf = '';
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        buf += decoder.decode(value, {stream: true});
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          handleBlock(buf.slice(0, i));
          buf = buf.slice(i + 2);
        }
      }
    } catch (e) {
      // network error: reconnect below, resuming from state.cursor
    }
    setConn(false);
    await sleep(1000);
    // Whatever happened while disconnected is replayed from the cursor; refresh the views as well.
    scheduleList();
    scheduleTree();
  }
}

// ---- health ----------------------------------------------------------------------------------------------------

async function loadHealth() {
  const r = await fetch('/health', {headers: {Accept: 'application/json'}});
  const h = await r.json();
  const now = Date.now();
  let rates = '';
  if (state.lastHealth) {
    const dt = (now - state.lastHealth.at) / 1000;
    rates = ` · <span>${((h.events.ingested - state.lastHealth.ingested) / dt).toFixed(1)} events/s</span>
      · <span>${((h.requests.total - state.lastHealth.requests) / dt).toFixed(1)} req/s</span>`;
  }
  state.lastHealth = {at: now, ingested: h.events.ingested, requests: h.requests.total};
  $('health').innerHTML = `<span id="health-status" class="status-${esc(h.status)}">● ${esc(h.status)}</span>
    <span>heap ${h.memory.heap_used_mb} / ${h.memory.limit_mb} MB</span><span>${h.sessions.active} sessions</span>
    <span>${h.events.ingested} events</span>${rates}
    ${(h.alerts || []).map((a) => `<span class="error-text">⚠ ${esc(a)}</span>`).join('')}`;
}

// A running operation's duration is computed by the server at read time: re-read now and then while any runs.
setInterval(() => {
  if (state.selected && document.querySelector('.op.running')) scheduleTree();
}, 2000);

function showError(e) {
  if (e instanceof AuthError) return;
  $('session-header').insertAdjacentHTML('beforeend', `<p class="error-text">${esc(e.message)}</p>`);
}

async function start() {
  const m = location.hash.match(/session=([^&]+)/);
  if (m && !state.selected) state.selected = decodeURIComponent(m[1]);
  try {
    // A session named in the address is fetched alongside the list, not after it.
    await Promise.all([loadSessions(), state.selected ? loadTree() : null]);
  } catch (e) {
    if (e instanceof AuthError) return;
    showError(e);
  }
  stream();
}

loadHealth().catch(() => {});
setInterval(() => loadHealth().catch(() => {}), 5000);
start();
