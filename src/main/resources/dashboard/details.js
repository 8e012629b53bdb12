// The details panel: everything captured about the selected operation, read from
// GET /api/v1/sessions/{id}/operations/{operation_id}: kind, name, status, timing, tool input, output or error,
// MCP server and tool, subagent, prompt, model, tokens, cost, time to first token, and the raw events behind it.
// Only what the server returns is shown; a field it omits is not drawn.
import {api, AuthError} from './api.js';
import {icon, kindIcon} from './icons.js';
import {nodeTitle} from './tree.js';
import {$, esc, fmtCost, fmtMs, fmtTime, fmtTokens} from './util.js';

let request = 0;
let closeHandler = () => {};

// Tool input fields a person looks for first, in this order; the rest follow as captured.
const INPUT_FIRST = ['command', 'file_path', 'path', 'pattern', 'glob', 'url', 'query', 'description', 'prompt',
  'subagent_type', 'old_string', 'new_string', 'content', 'timeout'];

const isBlock = (v) => typeof v === 'string' && (v.length > 60 || v.includes('\n'));

function value(v) {
  if (v == null) return '';
  if (typeof v === 'object') return `<pre class="v json">${esc(JSON.stringify(v, null, 2))}</pre>`;
  return isBlock(v) ? `<pre class="v">${esc(v)}</pre>` : `<span class="v">${esc(v)}</span>`;
}

function field(key, label, v, cls = '') {
  if (v == null || v === '') return '';
  return `<div class="field ${cls}" data-key="${esc(key)}"><span class="k">${esc(label)}</span>${value(v)}</div>`;
}

function section(title, body, id) {
  return body ? `<section class="dsec" data-section="${id}"><h3>${esc(title)}</h3>${body}</section>` : '';
}

function inputHtml(input) {
  if (!input || typeof input !== 'object') return input == null ? '' : field('input', 'input', input);
  const keys = Object.keys(input);
  const ordered = [...INPUT_FIRST.filter((k) => k in input), ...keys.filter((k) => !INPUT_FIRST.includes(k))];
  return ordered.map((k) => field('input.' + k, k.replace(/_/g, ' '), input[k], k === 'command' ? 'code' : '')).join('');
}

function tokensHtml(d) {
  const t = d.tokens;
  const parts = [];
  if (d.model) parts.push(field('model', 'model', d.model));
  if (t) {
    const cells = [['input', 'input'], ['output', 'output'], ['cache_read', 'cache read'], ['cache_creation', 'cache write']]
      .filter(([k]) => t[k] != null)
      .map(([k, label]) => `<div class="tok" data-key="tokens.${k}"><span class="k">${label}</span><span class="v">${fmtTokens(t[k])}</span></div>`);
    if (cells.length) parts.push(`<div class="tokens">${cells.join('')}</div>`);
  }
  if (d.cost_usd != null) {
    parts.push(field('cost_usd', 'cost', fmtCost(d.cost_usd) + (d.cost_estimated ? ' (estimated from tokens)' : ''), 'cost'));
  }
  if (d.ttft_ms != null) parts.push(field('ttft_ms', 'time to first token', fmtMs(Number(d.ttft_ms))));
  return parts.join('');
}

function eventsHtml(events) {
  if (!events || !events.length) return '';
  const rows = events.map((e) => `<tr data-event-id="${esc(e.id)}"><td class="num">${esc(e.sequence)}</td><td>${esc(e.event_type)}</td>
    <td>${esc(e.status ?? '')}</td><td class="ts">${esc(fmtTime(e.timestamp))}</td><td class="id">${esc(e.id)}</td></tr>`).join('');
  return `<div class="events-head"><span class="hint">${events.length} event${events.length === 1 ? '' : 's'}</span>
    <button type="button" id="copy-events" class="btn">${icon('copy')} copy JSON</button><span id="copy-status" class="hint" aria-live="polite"></span></div>
    <div class="table-scroll"><table class="events"><thead><tr><th>seq</th><th>type</th><th>status</th><th>time</th><th>event id</th></tr></thead>
    <tbody>${rows}</tbody></table></div>
    <details class="raw"><summary>raw events</summary><pre id="raw-events" class="v json">${esc(JSON.stringify(events, null, 2))}</pre></details>`;
}

function headHtml(op) {
  const title = op.title || op.name || op.id;
  return `<div class="dhead"><span class="icon k-${esc(op.kind)}">${kindIcon(op.kind)}</span>
    <h2 id="details-title" title="${esc(title)}">${esc(title)}</h2>
    <button type="button" id="details-close" class="btn icon-btn" title="close (Escape)">${icon('close', 'close details')}</button></div>`;
}

function summaryHtml(op) {
  return `<div class="dsum"><span class="badge ${esc(op.status)}" id="details-status">${esc(op.status)}</span>
    ${field('kind', 'kind', op.kind)}${field('name', 'name', op.name)}
    ${field('start', 'start', op.start && fmtTime(op.start))}${field('end', 'end', op.end && fmtTime(op.end))}
    ${field('duration_ms', 'duration', op.duration_ms != null ? fmtMs(op.duration_ms) + (op.status === 'running' ? ' so far' : '') : null)}
    ${field('id', 'operation id', op.id, 'mono')}${field('parent_id', 'parent', op.parent_id, 'mono')}</div>`;
}

function render(op, events) {
  const d = op.details || {};
  const error = d.error || op.error;
  const body = [
    headHtml(op), summaryHtml(op),
    section('Error', error ? `<pre class="v errtext" data-key="error">${esc(error)}</pre>` : '', 'error'),
    section('Input', inputHtml(d.input), 'input'),
    section('Output', d.output_excerpt ? `<pre class="v" data-key="output_excerpt">${esc(d.output_excerpt)}</pre>` : '', 'output'),
    section('MCP', field('mcp_server', 'server', d.mcp_server) + field('mcp_tool', 'tool', d.mcp_tool), 'mcp'),
    section('Subagent', field('subagent_description', 'description', d.subagent_description)
      + field('subagent_type', 'type', d.subagent_type), 'subagent'),
    section('Prompt', d.prompt_excerpt ? `<pre class="v" data-key="prompt_excerpt">${esc(d.prompt_excerpt)}</pre>` : '', 'prompt'),
    section('Model', tokensHtml(d), 'model'),
    section('Events', eventsHtml(events), 'events'),
  ];
  return body.join('');
}

function open() {
  const panel = $('details');
  panel.hidden = false;
  document.body.classList.add('details-open');
  return panel;
}

function wire(panel, events) {
  $('details-close').addEventListener('click', () => closeHandler());
  const copy = $('copy-events');
  if (copy) copy.addEventListener('click', () => copyText(JSON.stringify(events, null, 2)));
  panel.dataset.loaded = panel.dataset.op;
}

async function copyText(text) {
  const status = $('copy-status');
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = 'copied';
  } catch (e) {
    // No clipboard permission (or not a secure context): fall back to a selection the browser copies.
    const area = document.createElement('textarea');
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    status.textContent = ok ? 'copied' : 'copy refused by the browser: select the raw events below';
  }
}

/**
 * Shows the operation's details (node: the tree node, drawn at once while the details load). Called for every
 * selection while the panel is open; a later call wins over an earlier one still loading.
 */
export async function showDetails(sessionId, node) {
  const mine = ++request;
  const panel = open();
  panel.dataset.op = node.id;
  delete panel.dataset.loaded;
  const fromTree = {id: node.id, kind: node.kind, name: node.name, title: nodeTitle(node), status: node.status,
    start: node.start_ms != null ? new Date(node.start_ms).toISOString() : null, duration_ms: node.duration_ms, error: node.error};
  panel.innerHTML = render(fromTree, null) + '<p class="hint loading">loading details…</p>';
  $('details-close').addEventListener('click', () => closeHandler());
  let body;
  try {
    body = await api(`/api/v1/sessions/${encodeURIComponent(sessionId)}/operations/${encodeURIComponent(node.id)}`);
  } catch (e) {
    if (mine !== request || e instanceof AuthError) return;
    panel.innerHTML = render(fromTree, null) + `<p class="error-text" id="details-error">Details could not be read: ${esc(e.message)}</p>`;
    wire(panel, []);
    return;
  }
  if (mine !== request) return;
  const op = body.operation || {};
  const events = op.events || body.events || [];
  panel.innerHTML = render(op, events);
  wire(panel, events);
}

export function hideDetails() {
  request++;
  const panel = $('details');
  panel.hidden = true;
  panel.innerHTML = '';
  delete panel.dataset.op;
  delete panel.dataset.loaded;
  document.body.classList.remove('details-open');
}

export const detailsOpen = () => !$('details').hidden;

/** onClose runs when the panel's close button is pressed. */
export function initDetails(onClose) {
  closeHandler = onClose;
}
