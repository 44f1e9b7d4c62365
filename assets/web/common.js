// Shared by the status page and the letters: language, login (bearer token in sessionStorage),
// JSON fetches, the hub's event stream read with fetch() (so it can carry the token), DOM helpers.
import { tr } from './strings.js';

const TOKEN_KEY = 'lwc.token';
const LANG_KEY = 'lwc.lang';

export function currentLang() {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'th' || fromUrl === 'en') return fromUrl;
  const saved = localStorage.getItem(LANG_KEY);
  return saved === 'en' ? 'en' : 'th';  // Thai first
}

export function setLang(lang) {
  localStorage.setItem(LANG_KEY, lang);
  const url = new URL(location.href);
  url.searchParams.delete('lang');
  history.replaceState(null, '', url);
  document.documentElement.lang = lang;
}

export function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }

function authHeaders() {
  const t = token();
  return t ? { Authorization: 'Bearer ' + t } : {};
}

// GET a JSON endpoint: {status, body}. A network failure is status 0.
export async function getJson(path) {
  try {
    const res = await fetch(path, { headers: authHeaders(), cache: 'no-store' });
    let body = null;
    try { body = await res.json(); } catch (_) { body = null; }
    return { status: res.status, body };
  } catch (_) {
    return { status: 0, body: null };
  }
}

function randomHex(bytes) {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Logs in as a device of this browser (one device id per user, kept in localStorage).
export async function login(user, password) {
  const key = 'lwc.device.' + user;
  let device = localStorage.getItem(key);
  if (!device) {
    device = randomHex(16);
    localStorage.setItem(key, device);
  }
  const res = await fetch('/v1/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password, device_id: device, device_name: 'web browser',
                           client_version: 'lwc-web' }),
  });
  const body = await res.json().catch(() => ({}));
  if (res.status !== 200) return body.message || String(res.status);
  sessionStorage.setItem(TOKEN_KEY, body.token);
  return '';
}

export async function logout() {
  if (token()) await fetch('/v1/logout', { method: 'POST', headers: authHeaders() }).catch(() => {});
  sessionStorage.removeItem(TOKEN_KEY);
}

// Shows a login form in `host`; resolves once a login succeeded.
export function loginForm(host, lang) {
  return new Promise((resolve) => {
    const error = h('p', { class: 'login-error', role: 'alert' });
    const user = h('input', { name: 'user', autocomplete: 'username', required: '' });
    const password = h('input', { name: 'password', type: 'password',
                                  autocomplete: 'current-password', required: '' });
    const form = h('form', { class: 'login' },
      h('h2', {}, tr('login.title', lang)),
      h('label', {}, tr('login.user', lang), user),
      h('label', {}, tr('login.password', lang), password),
      h('button', { type: 'submit' }, tr('login.button', lang)), error);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const failed = await login(user.value.trim(), password.value);
      if (failed) {
        error.textContent = tr('login.failed', lang);
        return;
      }
      resolve();
    });
    host.replaceChildren(form);
    user.focus();
  });
}

// Follows a Server-Sent-Events stream; calls onEvent(type, data) per event and onState(true|false)
// as the connection comes and goes; reconnects 3 s after it drops. Returns a stop function.
export function followEvents(path, onEvent, onState) {
  let stopped = false;
  let controller = null;
  async function once() {
    controller = new AbortController();
    const res = await fetch(path, { headers: authHeaders(), cache: 'no-store',
                                    signal: controller.signal });
    if (res.status !== 200 || !res.body) throw new Error('status ' + res.status);
    onState(true);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let type = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) type = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).trim());
        }
        if (data.length) onEvent(type, data.join('\n'));
      }
    }
  }
  (async () => {
    while (!stopped) {
      try { await once(); } catch (_) { /* dropped or refused: retry */ }
      if (stopped) break;
      onState(false);
      await new Promise((r) => setTimeout(r, 3000));
    }
  })();
  return () => { stopped = true; if (controller) controller.abort(); };
}

// h('div', {class: 'x'}, child, 'text', …): an HTML element.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// s('rect', {x: 1}, …): an SVG element.
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function number(v, decimals = 0) {
  return Number(v).toLocaleString('en-US', { minimumFractionDigits: decimals,
                                              maximumFractionDigits: decimals });
}
