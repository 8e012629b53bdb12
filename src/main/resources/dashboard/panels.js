// The smaller views of a session: the per-tool chart, the alerts, and the server's health line.
import {icon} from './icons.js';
import {state} from './state.js';
import {$, applyGeometry, count, esc, fmtMs} from './util.js';

export function renderTools(tools) {
  if (!tools.length) { $('tools').innerHTML = '<p class="hint">No tool calls yet.</p>'; return; }
  const maxP95 = Math.max(1, ...tools.map((t) => t.p95_ms));
  $('tools').innerHTML = '<div class="tool-chart">' + tools.map((t) => `
    <span class="wf-label">${esc(t.tool)}</span>
    <div><div class="tool-bar" data-width="${(t.p95_ms / maxP95 * 100).toFixed(1)}" title="p95 ${t.p95_ms}ms"></div>
    <div class="tool-bar err" data-width="${(t.error_rate * 100).toFixed(1)}" title="error rate"></div></div>
    <span class="tool-stats" data-tool="${esc(t.tool)}">${count(t.calls, 'call')} · ${t.errors} err · p50 ${fmtMs(t.p50_ms)} · p95 ${fmtMs(t.p95_ms)}</span>`).join('') + '</div>';
  applyGeometry($('tools'));
}

export function renderAlerts() {
  const mine = state.alerts.filter((a) => a.session_id === state.selected).slice(-10).reverse();
  $('alerts').innerHTML = mine.map((a) => `<div class="alert ${esc(a.alert)}">${icon(a.alert === 'slow' ? 'slow' : 'error')}
    ${esc(a.name || a.event_type)}: ${a.alert === 'slow' ? `took ${fmtMs(a.duration_ms)} (slow above ${fmtMs(a.threshold_ms)})` : esc(a.message || 'failed')}</div>`).join('');
}

let lastHealth = null;

export async function loadHealth() {
  const r = await fetch('/health', {headers: {Accept: 'application/json'}});
  const h = await r.json();
  const now = Date.now();
  let rates = '';
  if (lastHealth) {
    const dt = (now - lastHealth.at) / 1000;
    rates = ` · <span>${((h.events.ingested - lastHealth.ingested) / dt).toFixed(1)} events/s</span>
      · <span>${((h.requests.total - lastHealth.requests) / dt).toFixed(1)} req/s</span>`;
  }
  lastHealth = {at: now, ingested: h.events.ingested, requests: h.requests.total};
  $('health').innerHTML = `<span id="health-status" class="status-${esc(h.status)}">${icon('dot')} ${esc(h.status)}</span>
    <span>heap ${h.memory.heap_used_mb} / ${h.memory.limit_mb} MB</span><span>${h.sessions.active} sessions</span>
    <span>${h.events.ingested} events</span>${rates}
    ${(h.alerts || []).map((a) => `<span class="error-text">${icon('warning')} ${esc(a)}</span>`).join('')}`;
}
