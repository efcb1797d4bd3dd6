'use strict';
// The daemon's web console. Every value from the server is put in as text (textContent), never as markup; the
// login is an HttpOnly cookie the script never sees; state-changing calls are same-origin POSTs.
(function () {
  const $ = (id) => document.getElementById(id);
  let me = null;
  let events = null;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function age(ms) {
    if (ms === null || ms === undefined) return '';
    const s = Math.floor(ms / 1000);
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min';
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  }

  function mib(bytes) {
    return bytes === null || bytes === undefined ? '' : (bytes / 1048576).toFixed(0) + ' MiB';
  }

  async function api(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let json = {};
    try { json = await response.json(); } catch (e) { json = { error: 'no answer' }; }
    return { status: response.status, json };
  }

  function showLogin(message) {
    if (events) { events.close(); events = null; }
    me = null;
    $('console').hidden = true;
    $('logout').hidden = true;
    $('who').textContent = '';
    $('login').hidden = false;
    $('login-error').textContent = message || '';
  }

  async function showConsole() {
    const answer = await api('GET', '/api/me');
    if (answer.status !== 200) { showLogin(''); return; }
    me = answer.json;
    $('who').textContent = me.user + ' (' + me.role + ') on ' + me.ip;
    $('login').hidden = true;
    $('logout').hidden = false;
    $('console').hidden = false;
    document.body.dataset.role = me.role;
    events = new EventSource('/api/watch');
    events.addEventListener('world', (event) => render(JSON.parse(event.data)));
    events.onerror = () => { $('status').textContent = 'watch interrupted; reconnecting'; };
  }

  function canAct() {
    return me && (me.role === 'operator' || me.role === 'admin');
  }

  async function run(line) {
    $('command-result').textContent = line + ' ...';
    const answer = await api('POST', '/api/command', { line });
    if (answer.status === 401) { showLogin('your login ended'); return; }
    const j = answer.json;
    $('command-result').textContent = line + ': ' + (j.outcome === 'OK' ? 'ok' : (j.outcome || answer.status) + ' '
      + (j.error || j.message || ''));
  }

  async function showLog(ip, name) {
    const answer = await api('GET', '/api/log?ip=' + encodeURIComponent(ip) + '&name=' + encodeURIComponent(name)
      + '&lines=200');
    $('log').hidden = false;
    $('log-title').textContent = 'Log of ' + name + ' on ' + ip;
    $('log-lines').textContent = answer.status === 200 ? answer.json.lines.join('\n') : answer.json.error;
  }

  function button(label, action, line) {
    const b = el('button', label, 'act ' + action);
    b.type = 'button';
    b.dataset.action = action;
    b.addEventListener('click', () => run(line));
    return b;
  }

  const COLUMNS = ['name', 'type', 'host:port', 'pid', 'state', 'liveness', 'uptime', 'startcount', 'lastupdate',
    'sessions', 'heap', ''];

  function render(result) {
    if (result.outcome !== 'OK') {
      $('status').textContent = 'view failed: ' + result.message;
      return;
    }
    $('status').textContent = 'updated ' + new Date(result.data.at).toLocaleTimeString();
    const world = $('world');
    world.replaceChildren();
    for (const region of result.data.regions) {
      const section = el('section', null, 'region');
      section.dataset.region = region.name;
      section.appendChild(el('h2', 'Region ' + region.name));
      for (const machine of region.machines) {
        const m = el('div', null, 'machine');
        m.dataset.ip = machine.ip;
        m.appendChild(el('h3', machine.ip + (machine.local ? ' (this machine)' : '')
          + (machine.reachable ? '' : ' — unreachable'), machine.reachable ? '' : 'unreachable'));
        const table = el('table');
        const head = el('tr');
        COLUMNS.forEach((c) => head.appendChild(el('th', c)));
        table.appendChild(head);
        for (const p of machine.processes) {
          const tr = el('tr', null, 'process');
          tr.dataset.ip = machine.ip;
          tr.dataset.name = p.name;
          tr.dataset.state = p.state;
          tr.dataset.liveness = p.liveness;
          [p.name, p.type, p.host + ':' + p.port, p.pid || '', p.state].forEach((v) => tr.appendChild(el('td', v)));
          tr.appendChild(el('td', p.liveness, p.liveness));
          [age(p.uptimeMs), p.startcount, age(p.lastupdateAgeMs), p.sessions === null ? '' : p.sessions,
            mib(p.heapUsed) + (p.heapMax ? ' / ' + mib(p.heapMax) : '')].forEach((v) => tr.appendChild(el('td', v)));
          const actions = el('td');
          if (canAct()) {
            actions.appendChild(button('start', 'start', 'start ' + machine.ip + ' ' + p.name));
            actions.appendChild(button('stop', 'stop', 'stop ' + machine.ip + ' ' + p.name));
            if (p.pid) actions.appendChild(button('kill', 'kill', 'kill ' + machine.ip + ' ' + p.pid));
          }
          if (machine.local) {
            const log = el('button', 'log', 'log');
            log.type = 'button';
            log.addEventListener('click', () => showLog(machine.ip, p.name));
            actions.appendChild(log);
          }
          tr.appendChild(actions);
          table.appendChild(tr);
        }
        m.appendChild(table);
        section.appendChild(m);
      }
      world.appendChild(section);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('login').addEventListener('submit', async (event) => {
      event.preventDefault();
      const answer = await api('POST', '/api/login', { user: $('user').value, password: $('password').value });
      $('password').value = '';
      if (answer.status === 200) {
        showConsole();
      } else {
        showLogin(answer.json.error || ('login failed: ' + answer.status));
      }
    });
    $('logout').addEventListener('click', async () => {
      await api('POST', '/api/logout');
      showLogin('logged out');
    });
    showConsole();
  });
}());
