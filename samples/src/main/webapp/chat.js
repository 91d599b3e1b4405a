'use strict';

// The chat page: joins a room over the browser's own WebSocket and shows what the server sends.
// Messages are JSON; see io.breakwater.samples.chat.ChatJson for every kind.

const $ = id => document.getElementById(id);
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

// Reconnecting: 1 s after a connection is lost, then twice as long after each failed attempt, up to 15 s.
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 15000;
// Closes worth another try: the server going away or restarting (1001, 1012), failing (1011, 1013,
// 1014), or the connection ending without a close handshake (1006). Any other code is the server's
// answer to this client (1003: a room name it refuses, 1008: policy), which a retry would only repeat.
const RETRIED_CLOSE_CODES = new Set([1001, 1006, 1011, 1012, 1013, 1014]);
// What the codes of RFC 6455 §7.4.1 mean, for the line that says why the connection closed.
const CLOSE_MEANINGS = {
  1000: 'normal closure', 1001: 'going away', 1002: 'protocol error', 1003: 'cannot accept',
  1005: 'no status', 1006: 'closed without a close handshake', 1007: 'invalid data', 1008: 'policy violation',
  1009: 'message too big', 1011: 'server error', 1012: 'service restart', 1013: 'try again later',
};
const UNREACHABLE = 'Could not connect to the server (handshake failed or server unreachable)';

let socket = null;
let me = null;
let current = null;        // { name, room } from the Join form until Leave, connected or not
let welcomedBefore = false; // a welcome after the first is a rejoin after a lost connection
let lastSaid = null;       // the last chat line shown, so that a rejoin shows only what was missed
const retry = { attempt: 0, timer: null, countdown: null };

function roomUrl(room, name) {
  // Relative to the page, so the same page works at / (embedded) and under a WAR's context path.
  const url = new URL(`chat/${encodeURIComponent(room)}?name=${encodeURIComponent(name)}`, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}

function setStatus(text, state) {
  const status = $('status');
  status.textContent = text;
  status.className = `status ${state}`;
}

function join(name, room) {
  localStorage.setItem('breakwater-chat-name', name);
  current = { name, room };
  welcomedBefore = false;
  lastSaid = null;
  retry.attempt = 0;
  $('messages').replaceChildren();
  showMembers([]);
  $('members-offline').hidden = true;
  $('send').disabled = true; // until the room's welcome
  $('room-title').textContent = `#${room}`;
  $('join-view').hidden = true;
  $('chat-view').hidden = false;
  connect();
  $('text').focus();
}

function connect() {
  setStatus(retry.attempt === 0 ? 'Connecting…' : 'Reconnecting…', 'connecting');
  const ws = new WebSocket(roomUrl(current.room, current.name));
  let opened = false;
  socket = ws;
  // Events of a socket the page has given up (Leave, a newer attempt) change nothing.
  ws.onopen = () => { opened = true; };
  ws.onmessage = event => { if (ws === socket) show(JSON.parse(event.data)); };
  ws.onclose = event => { if (ws === socket) closed(event, opened); };
}

function closed(event, opened) {
  socket = null;
  if (current === null) return;
  $('send').disabled = true;
  // The list was the server's view; without a connection nobody's presence is known.
  showMembers([]);
  $('members-offline').hidden = false;
  $('compression').hidden = true;
  // A browser tells a page nothing of a failed handshake (a refusal, no server, a proxy in the way) but
  // 1006: only whether the socket ever opened tells that apart from a connection lost later.
  const why = opened ? describeClose(event) : UNREACHABLE;
  if (opened && !RETRIED_CLOSE_CODES.has(event.code)) {
    setStatus(`Disconnected (${event.code})`, 'closed');
    notice(why, 'refused');
    return;
  }
  // Said once per outage, not once per failed attempt; the status shows the attempts.
  if (opened || retry.attempt === 0) notice(why, 'refused');
  scheduleReconnect(opened ? 'Connection lost' : UNREACHABLE);
}

function describeClose(event) {
  const meaning = CLOSE_MEANINGS[event.code];
  const code = meaning ? `code ${event.code} ${meaning}` : `code ${event.code}`;
  const reason = event.reason ? `: ${event.reason}` : '';
  return event.code === 1006
      ? `Connection lost (${code}: the network or the server failed)`
      : `Connection closed by the server (${code}${reason})`;
}

function scheduleReconnect(state) {
  retry.attempt += 1;
  const backoff = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (retry.attempt - 1));
  // Jitter, so that the pages of a restarted server do not all come back in the same instant.
  const delay = backoff * (0.8 + 0.4 * Math.random());
  const due = Date.now() + delay;
  const showCountdown = () => {
    const seconds = Math.max(1, Math.ceil((due - Date.now()) / 1000));
    setStatus(`${state}; retrying in ${seconds} s`, 'reconnecting');
  };
  showCountdown();
  retry.countdown = setInterval(showCountdown, 1000);
  retry.timer = setTimeout(() => {
    cancelReconnect();
    connect();
  }, delay);
}

function cancelReconnect() {
  clearTimeout(retry.timer);
  clearInterval(retry.countdown);
  retry.timer = null;
  retry.countdown = null;
}

function show(message) {
  switch (message.type) {
    case 'welcome':
      me = message.you;
      retry.attempt = 0;
      $('send').disabled = false;
      $('members-offline').hidden = true;
      setStatus(`Connected as ${message.you}`, 'connected');
      showCompression(message.extensions);
      showMembers(message.members);
      if (welcomedBefore) {
        notice('Reconnected');
        const missed = missedLines(message.history);
        if (missed.length > 0) {
          missed.forEach(said => line(said, true));
          divider('said while you were away');
        }
      } else if (message.history.length > 0) {
        message.history.forEach(said => line(said, true));
        divider('earlier messages above');
      }
      welcomedBefore = true;
      break;
    case 'message':
      line(message, false);
      break;
    case 'joined':
      showMembers(message.members);
      notice(`${message.name} joined`);
      break;
    case 'left':
      showMembers(message.members);
      notice(`${message.name} left`);
      break;
    case 'refused':
      notice(message.reason, 'refused');
      break;
  }
}

// The lines of the history after the last one shown. A history without it (a server restarted
// with an empty history, or more than its length said meanwhile) is all new.
function missedLines(history) {
  if (lastSaid === null) return history;
  for (let i = history.length - 1; i >= 0; i--) {
    const said = history[i];
    if (said.time === lastSaid.time && said.from === lastSaid.from && said.text === lastSaid.text) {
      return history.slice(i + 1);
    }
  }
  return history;
}

function showCompression(extensions) {
  const badge = $('compression');
  const deflate = extensions.includes('permessage-deflate');
  badge.textContent = deflate ? 'permessage-deflate' : 'uncompressed';
  // What the browser itself agreed to, for the curious.
  badge.title = `Sec-WebSocket-Extensions: ${socket.extensions || 'none'}`;
  badge.hidden = false;
}

function showMembers(names) {
  $('members').replaceChildren(...names.map(name => {
    const item = document.createElement('li');
    item.textContent = name;
    if (name === me) item.classList.add('you');
    return item;
  }));
}

function line(said, fromHistory) {
  lastSaid = said;
  const item = document.createElement('li');
  item.className = 'message';
  if (said.from === me) item.classList.add('mine');
  if (fromHistory) item.classList.add('history');
  const time = document.createElement('time');
  time.className = 'time';
  time.dateTime = said.time;
  time.textContent = timeFormat.format(new Date(said.time));
  const from = document.createElement('span');
  from.className = 'from';
  from.textContent = said.from;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = said.text; // Text, never markup: members cannot inject HTML.
  item.append(time, from, text);
  append(item);
}

function notice(text, kind) {
  const item = document.createElement('li');
  item.className = kind ? `notice ${kind}` : 'notice';
  item.textContent = text;
  append(item);
}

function divider(text) {
  const item = document.createElement('li');
  item.className = 'divider';
  item.textContent = `— ${text} —`;
  append(item);
}

function append(item) {
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.append(item);
  if (atBottom) list.scrollTop = list.scrollHeight;
}

$('join-form').addEventListener('submit', event => {
  event.preventDefault();
  join($('name').value.trim(), $('room').value.trim());
});

$('composer').addEventListener('submit', event => {
  event.preventDefault();
  const text = $('text').value;
  if (text.trim() === '' || !socket || socket.readyState !== WebSocket.OPEN) return;
  socket.send(JSON.stringify({ type: 'say', text }));
  $('text').value = '';
});

$('leave').addEventListener('click', () => {
  current = null;
  cancelReconnect();
  const leaving = socket;
  socket = null; // its close event is the user's doing, not a lost connection
  if (leaving) leaving.close(1000, 'left');
  $('chat-view').hidden = true;
  $('join-view').hidden = false;
  $('compression').hidden = true;
  setStatus('Not connected', '');
});

// Back on the network: waiting out the backoff would only delay the rejoin.
window.addEventListener('online', () => {
  if (retry.timer !== null) {
    cancelReconnect();
    connect();
  }
});

// ?room=kitchen opens the form on that room; the name is remembered from last time.
const params = new URLSearchParams(location.search);
if (params.get('room')) $('room').value = params.get('room');
$('name').value = params.get('name') || localStorage.getItem('breakwater-chat-name') || '';
