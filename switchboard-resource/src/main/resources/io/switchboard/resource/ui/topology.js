'use strict';
// The live topology page: one blocking watch on /v1/topology at a time (Consul-style ?index=N&wait=), re-rendered on
// each answer; /v1/status is read only when the topology watch says the catalog moved. Every value from the server goes
// into the DOM as text (textContent, dataset), never as markup: endpoint ids come from config files.
(function () {
  const WAIT = '60s';
  const MAX_BACKOFF_MS = 30000;
  let index = 0;
  let backoff = 500;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // What the page shows: a service_list endpoint is "unprobed", a probed one its probe state.
  function shownState(endpoint) {
    if (!endpoint.probed) return 'unprobed';
    return ['up', 'down', 'pending'].includes(endpoint.state) ? endpoint.state : 'pending';
  }

  function endpointItem(module, endpoint) {
    const state = shownState(endpoint);
    const item = el('li', 'endpoint state-' + state);
    item.dataset.module = module;
    item.dataset.id = endpoint.id;
    item.dataset.state = state;
    item.appendChild(el('span', 'id', endpoint.id));
    item.appendChild(el('span', 'detail', 'inner ' + endpoint.inner_ip + ' · out ' + endpoint.out_ip + ' · port '
        + endpoint.port));
    item.appendChild(el('span', 'state', state === 'unprobed' ? 'up, not probed' : state + ', probed'));
    // The process registered on this endpoint through resource://, if any: a service_list node shows here when it
    // comes up and goes, though nothing probes it.
    const process = endpoint.process;
    item.dataset.process = process ? process.state : 'none';
    item.appendChild(el('span', 'process process-' + (process ? 'registered' : 'none'),
        process ? process.id + ' #' + process.node_id + ' ' + process.state : 'no process registered'));
    item.title = endpoint.probed ? 'heartbeat_list: probed' : 'service_list: served without probing';
    return item;
  }

  function render(topology) {
    const root = document.getElementById('topology');
    const modules = document.createDocumentFragment();
    for (const module of topology.modules) {
      const section = el('section', 'module');
      section.dataset.module = module.module;
      section.appendChild(el('h2', null, module.module));
      for (const idc of module.idcs) {
        const idcBox = el('div', 'idc');
        idcBox.appendChild(el('h3', null, 'IDC ' + idc.idc));
        for (const set of idc.sets) {
          const setBox = el('div', 'set');
          setBox.appendChild(el('h4', null, 'set ' + set.set));
          const list = el('ul', 'endpoints');
          for (const endpoint of set.endpoints) list.appendChild(endpointItem(module.module, endpoint));
          setBox.appendChild(list);
          idcBox.appendChild(setBox);
        }
        section.appendChild(idcBox);
      }
      modules.appendChild(section);
    }
    root.replaceChildren(modules);
  }

  function renderStatus(status) {
    document.getElementById('generation').textContent = String(status.generation);
    const box = document.getElementById('reload-error');
    const list = document.getElementById('reload-errors');
    const errors = status.last_reload_error || [];
    list.replaceChildren(...errors.map(p => el('li', null,
        p.file + ':' + p.line + ':' + p.column + ': ' + p.message)));
    box.hidden = errors.length === 0;
  }

  function connection(text, className) {
    const node = document.getElementById('connection');
    node.textContent = text;
    node.className = className;
  }

  async function getJson(path) {
    const response = await fetch(path, { cache: 'no-store', credentials: 'omit' });
    if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
    return { index: Number(response.headers.get('X-Switchboard-Index')), body: await response.json() };
  }

  async function follow() {
    for (;;) {
      try {
        const topology = await getJson('/v1/topology?index=' + index + '&wait=' + WAIT);
        // A restarted manager counts from the start again: take its index whatever it is.
        const moved = topology.index !== index;
        index = topology.index;
        if (moved) {
          render(topology.body);
          renderStatus((await getJson('/v1/status')).body);
          document.getElementById('index').textContent = String(index);
        }
        connection('live', 'connection-live');
        backoff = 500;
      } catch (e) {
        connection('manager unreachable, retrying (' + e.message + ')', 'connection-lost');
        index = 0;
        await new Promise(resolve => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  follow();
}());
