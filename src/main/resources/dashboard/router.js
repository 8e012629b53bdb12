// Hash routes: #/sessions/{id} opens a session, #/sessions/{id}/op/{operation_id} opens it with that operation
// selected and its details open (search results link there). #session={id} is the older form, still read.

export function parseRoute(hash = location.hash) {
  let m = hash.match(/^#\/sessions\/([^/]+)(?:\/op\/(.+))?$/);
  if (m) return {session: decode(m[1]), op: m[2] ? decode(m[2]) : null};
  m = hash.match(/session=([^&]+)/);
  if (m) return {session: decode(m[1]), op: null};
  return {session: null, op: null};
}

function decode(s) {
  try { return decodeURIComponent(s); } catch (e) { return s; }
}

export function routeHash(session, op) {
  if (!session) return '';
  return '#/sessions/' + encodeURIComponent(session) + (op ? '/op/' + encodeURIComponent(op) : '');
}

/**
 * Puts the route in the address. A new session is a history entry (Back returns to the previous one); moving the
 * selection within a session replaces the entry, so arrowing through a tree does not fill the history.
 */
export function setRoute(session, op) {
  const hash = routeHash(session, op);
  if (hash === location.hash) return;
  const current = parseRoute();
  if (current.session === session) history.replaceState(null, '', hash);
  else history.pushState(null, '', hash);
}

/** Calls fn({session, op}) when the user changes the address (typing, Back/Forward, a link). */
export function onRoute(fn) {
  window.addEventListener('hashchange', () => fn(parseRoute()));
  window.addEventListener('popstate', () => fn(parseRoute()));
}
