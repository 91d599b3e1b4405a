'use strict';

// The chat page: joins a room over the browser's own WebSocket and shows what the server sends.
// Messages are JSON; see io.breakwater.samples.chat.ChatJson for every kind.

const $ = id => document.getElementById(id);
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

let socket = null;
let me = null;

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
  $('messages').replaceChildren();
  $('members').replaceChildren();
  $('room-title').textContent = `#${room}`;
  $('join-view').hidden = true;
  $('chat-view').hidden = false;
  setStatus('Connecting…', 'connecting');

  socket = new WebSocket(roomUrl(room, name));
  socket.onmessage = event => show(JSON.parse(event.data));
  socket.onclose = event => {
    setStatus(event.code === 1000 ? 'Left the room' : `Disconnected (${event.code})`, 'closed');
    $('send').disabled = true;
    if (event.code !== 1000 && event.code !== 1005) {
      notice(`Disconnected: ${event.reason || `code ${event.code}`}`, 'refused');
    }
  };
  $('send').disabled = false;
  $('text').focus();
}

function show(message) {
  switch (message.type) {
    case 'welcome':
      me = message.you;
      setStatus(`Connected as ${message.you}`, 'connected');
      showCompression(message.extensions);
      showMembers(message.members);
      if (message.history.length > 0) {
        message.history.forEach(said => line(said, true));
        divider('earlier messages above');
      }
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
  if (socket) socket.close(1000, 'left');
  $('chat-view').hidden = true;
  $('join-view').hidden = false;
  $('compression').hidden = true;
  setStatus('Not connected', '');
});

// ?room=kitchen opens the form on that room; the name is remembered from last time.
const params = new URLSearchParams(location.search);
if (params.get('room')) $('room').value = params.get('room');
$('name').value = params.get('name') || localStorage.getItem('breakwater-chat-name') || '';
