// The selected session's header: title, status, project, counts, tokens and cost, and its lifecycle (start and
// end, source, model, permission mode, MCP servers, metric points), which is not part of the tree.
import {icon} from './icons.js';
import {$, count, esc, fmtCost, fmtMs, fmtTime, fmtTokens} from './util.js';

function usageHtml(u) {
  if (!u) return '<p class="usage hint">Tokens and cost: not reported.</p>';
  const models = Object.entries(u.by_model || {}).map(([model, x]) => `<span class="model" data-model="${esc(model)}">${esc(model)}
    <b>${esc(fmtCost(x.cost_usd))}</b> · ${fmtTokens(x.input_tokens)} in · ${fmtTokens(x.output_tokens)} out
    · ${fmtTokens(x.cache_read_tokens)} cache read · ${fmtTokens(x.cache_creation_tokens)} cache write</span>`).join('');
  return `<p class="usage"><span id="session-cost" class="cost"${u.cost_estimated ? ' title="partly estimated from tokens and the price list"' : ''}>${esc(fmtCost(u.cost_usd))}${u.cost_estimated ? '*' : ''}</span>
    <span id="session-tokens">${fmtTokens(u.input_tokens)} in · ${fmtTokens(u.output_tokens)} out
    · ${fmtTokens(u.cache_read_tokens)} cache read · ${fmtTokens(u.cache_creation_tokens)} cache write</span>
    <span class="hint">(${u.source === 'otel_metrics' ? 'from OTel metrics' : count(u.llm_calls, 'LLM call')})</span></p>
    <div class="models">${models}</div>`;
}

function lifecycleHtml(lc) {
  if (!lc) return '';
  const items = [];
  const add = (key, label, value) => {
    if (value != null && value !== '') items.push(`<span class="lc" data-key="${key}"><span class="k">${label}</span> ${esc(value)}</span>`);
  };
  add('started_at', 'started', lc.started_at && fmtTime(lc.started_at));
  add('ended_at', 'ended', lc.ended_at && fmtTime(lc.ended_at));
  add('end_reason', 'end reason', lc.end_reason);
  add('source', 'source', lc.source);
  add('model', 'model', lc.model);
  add('permission_mode', 'permissions', lc.permission_mode);
  if (lc.metric_points) add('metric_points', 'metric points', fmtTokens(lc.metric_points));
  const servers = (lc.mcp_servers || []).map((s) => `<span class="mcp-server ${esc(s.status)}" title="${esc(s.status || '')}">${icon('mcp')} ${esc(s.name)}
    <span class="hint">${esc(s.status || '')}</span></span>`).join('');
  if (servers) items.push(`<span class="lc" data-key="mcp_servers"><span class="k">MCP</span> ${servers}</span>`);
  return items.length ? `<p id="session-lifecycle" class="lifecycle">${items.join('')}</p>` : '';
}

export function renderHeader(tree) {
  const s = tree.session;
  const m = s.metrics;
  const title = s.title || s.session_id;
  $('session-header').innerHTML = `<h2 class="session-title"><span id="session-title" title="${esc(title)}">${esc(title)}</span>
    <span class="badge ${esc(s.status)}">${esc(s.status)}</span></h2>
    <p class="meta"><span class="k">session</span> <span id="current-session">${esc(s.session_id)}</span>
    ${s.agent ? ` · <span class="k">agent</span> <span id="session-agent">${esc(s.agent)}</span>` : ''}
    ${s.project ? ` · <span id="session-project" title="${esc(s.project)}">${icon('folder')} ${esc(s.project)}</span>` : ''}
    ${s.lifecycle && s.lifecycle.git_branch ? ` · <span id="session-branch" title="git branch">${icon('branch')} ${esc(s.lifecycle.git_branch)}</span>` : ''}
    ${s.sender ? ` · <span class="k">sent by</span> <span id="session-sender" title="the token's name">${esc(s.sender)}</span>` : ''}</p>
    <p class="meta">${count(tree.operation_count, 'operation')} · ${tree.running_count} running · ${count(m.tool_calls, 'tool call')}
    · ${count(m.errors, 'error')} · ${fmtMs(m.total_duration_ms)} · slow above ${fmtMs(tree.slow_threshold_ms)}
    ${s.dropped_events ? ` · ${s.dropped_events} oldest events dropped` : ''}</p>
    ${lifecycleHtml(s.lifecycle)}${usageHtml(s.usage)}`;
}
