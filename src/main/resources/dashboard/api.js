// REST, sign-in and the live stream. On a server with tokens the page signs in once: the token is exchanged
// for an HttpOnly cookie (POST /auth/login) that the browser sends by itself and no script can read, so the
// token is kept neither in a URL nor in browser storage. The stream is read with fetch() to resume by cursor.
import {state} from './state.js';
import {$, sleep} from './util.js';

export class AuthError extends Error {}

export function headers(extra) {
  return Object.assign({Accept: 'application/json'}, extra || {});
}

export async function api(path) {
  const r = await fetch(path, {headers: headers()});
  if (r.status === 401) {
    askToken(state.signedIn ? 'The sign-in has ended: sign in again.' : '');
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

/** Who is signed in, if sign-in is needed at all; shows the sign-out button when it applies. */
export async function loadSignIn() {
  const r = await fetch('/auth/session', {headers: headers()});
  const s = r.ok ? await r.json() : {required: false, signed_in: false};
  state.signedIn = s.signed_in;
  $('signout').hidden = !s.signed_in;
  $('signout').title = s.signed_in ? `signed in as ${s.name} until ${new Date(s.expires_at).toLocaleString()}` : '';
  return s;
}

/** Handles the sign-in form and the sign-out button: onSignIn runs once the cookie is set. */
export function initTokenForm(onSignIn) {
  $('token-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('token-input');
    const r = await fetch('/auth/login', {method: 'POST', headers: headers({'Content-Type': 'application/json'}),
      body: JSON.stringify({token: input.value.trim()})});
    input.value = '';
    if (!r.ok) {
      const body = await r.json().catch(() => ({}));
      askToken(r.status === 401 ? 'The token was refused.' : (body.error || 'HTTP ' + r.status));
      return;
    }
    $('token-form').hidden = true;
    await loadSignIn();
    onSignIn();
  });
  $('signout').addEventListener('click', async () => {
    await fetch('/auth/logout', {method: 'POST', headers: headers()});
    location.reload();
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
      if (r.status === 401) { handlers.connected(false); streaming = false; askToken('The sign-in has ended: sign in again.'); return; }
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
