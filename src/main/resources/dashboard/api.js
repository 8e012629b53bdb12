// REST and live stream. The stream is read with fetch() so that the bearer token travels in a header
// (EventSource cannot send headers, and a token in a URL would end up in logs).
import {state} from './state.js';
import {$, sleep} from './util.js';

export class AuthError extends Error {}

export function headers(extra) {
  const h = Object.assign({Accept: 'application/json'}, extra || {});
  if (state.token) h.Authorization = 'Bearer ' + state.token;
  return h;
}

export async function api(path) {
  const r = await fetch(path, {headers: headers()});
  if (r.status === 401) {
    askToken(state.token ? 'The token was refused.' : '');
    throw new AuthError();
  }
  let body;
  try {
    body = await r.json();
  } catch (e) {
    throw new Error(`HTTP ${r.status}: not JSON`);
  }
  if (!r.ok) {
    const err = new Error(body.error || body.message || ('HTTP ' + r.status));
    err.status = r.status;
    throw err;
  }
  return body;
}

export function askToken(message) {
  $('token-form').hidden = false;
  $('token-error').textContent = message || '';
  $('token-input').focus();
}

/** Handles the token form: onToken runs once a token was entered. */
export function initTokenForm(onToken) {
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    state.token = $('token-input').value.trim();
    sessionStorage.setItem('mos-token', state.token);
    $('token-form').hidden = true;
    onToken();
  });
}

function parseBlock(block) {
  let event = 'message', data = '', id = null;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'event') event = value; else if (field === 'data') data += value; else if (field === 'id') id = value;
  }
  return {event, data, id};
}

let streaming = false;

/**
 * Reads /api/v1/stream forever, resuming from the last event id after a disconnect.
 * handlers: {event(name, body), connected(on), reconnected()}.
 */
export async function stream(handlers) {
  if (streaming) return;
  streaming = true;
  while (true) {
    try {
      const h = headers({Accept: 'text/event-stream'});
      if (state.cursor) h['Last-Event-ID'] = state.cursor;
      const r = await fetch('/api/v1/stream', {headers: h});
      if (r.status === 401) { handlers.connected(false); streaming = false; askToken('The token was refused.'); return; }
      if (!r.ok) throw new Error('stream HTTP ' + r.status);
      handlers.connected(true);
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      let buf = '';
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        buf += decoder.decode(value, {stream: true});
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const {event, data, id} = parseBlock(buf.slice(0, i));
          buf = buf.slice(i + 2);
          if (id) state.cursor = id;
          if (!data) continue;
          const body = JSON.parse(data);
          if (event === 'lag') state.cursor = body.resync_cursor;
          handlers.event(event, body);
        }
      }
    } catch (e) {
      // network error: reconnect below, resuming from state.cursor
    }
    handlers.connected(false);
    await sleep(1000);
    // Whatever happened while disconnected is replayed from the cursor; refresh the views as well.
    handlers.reconnected();
  }
}
