// The chat page: register, log in (the token is kept for this tab and used in the next handshake), the
// conversation and group lists, one conversation at a time with history, live pushes and read acks.
(function () {
  'use strict';

  var client = null;
  var me = null;
  var current = null;               // the open conversation: {conversation, name, kind, lastSeq, firstSeq}
  var conversations = {};           // conversation id -> {conversation, kind, name, lastSeq, ackSeq}
  var $ = function (id) { return document.getElementById(id); };
  var wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/';

  function status(text) { $('status').textContent = text || ''; }
  function fail(error) { status(error.message + (error.code ? ' (' + error.code + ')' : '')); }

  function connect(user) {
    if (client) client.close();
    // Dropped connections come back by themselves and resume the session (README "Reconnect and resume").
    client = new PomeloClient({ reconnect: { initialMs: 500, maxMs: 5000 } });
    client.on('onChatMessage', onMessage);
    client.on('onChatMember', onMember);
    client.on('disconnect', function (event) {
      if (me) status('connection lost (' + event.reason + '), reconnecting...');
    });
    client.on('reconnect', reconnected);
    client.on('close', function (event) {
      if (me) status('disconnected: ' + event.reason);
      showLogin();
    });
    return client.connect(wsUrl, user);
  }

  function credentials() {
    return { name: $('name').value.trim(), password: $('password').value };
  }

  function register() {
    var body = credentials();
    connect({})
      .then(function () { return client.request('chat.auth.register', body); })
      .then(function () { return client.request('chat.auth.login', body); })
      .then(loggedIn, fail);
  }

  function login(event) {
    event.preventDefault();
    var body = credentials();
    connect({})
      .then(function () { return client.request('chat.auth.login', body); })
      .then(loggedIn, fail);
  }

  function resume(token) {
    connect({ token: token }).then(function (answer) {
      if (answer.user && answer.user.code === 200) {
        return client.request('chat.conversation.list', {}).then(function (list) {
          loggedIn({ name: answer.user.name, token: token, conversations: list.conversations });
        });
      }
      sessionStorage.removeItem('chat.token');
      showLogin();
    }).catch(function () { showLogin(); });
  }

  // Back after a drop. Resumed: the pushes sent meanwhile were replayed, in order, to onMessage; nothing to fetch.
  // A fresh session (logged in again by the token in the handshake): catch up by pulling, as after a reload.
  function reconnected(event) {
    if (!me) return;
    var sync = $('status');
    if (event.resumed) {
      status('');
      sync.dataset.sync = 'resumed';
      return;
    }
    if (!event.answer.user || event.answer.user.code !== 200) {
      sessionStorage.removeItem('chat.token');
      client.close();
      showLogin();
      status('session expired: log in again');
      return;
    }
    status('');
    sync.dataset.sync = 'pulled';
    refreshConversations().then(function () {
      refreshGroups();
      if (!current || !current.conversation) return;
      var id = current.conversation;
      return client.request('chat.message.pull', { conversation: id, afterSeq: current.lastSeq })
        .then(function (page) {
          if (!current || current.conversation !== id) return;
          page.messages.forEach(function (m) { show(m, false); });
          ack();
          renderConversations();
        });
    }).catch(fail);
  }

  function loggedIn(answer) {
    me = answer.name;
    sessionStorage.setItem('chat.token', answer.token);
    client.user = { token: answer.token };   // a reconnect that cannot resume logs in again with it
    status('');
    $('me').textContent = me;
    $('logout').hidden = false;
    $('login-view').hidden = true;
    $('chat-view').hidden = false;
    setConversations(answer.conversations);
    refreshGroups();
  }

  function showLogin() {
    me = null;
    current = null;
    $('me').textContent = '';
    $('logout').hidden = true;
    $('login-view').hidden = false;
    $('chat-view').hidden = true;
  }

  function logout() {
    client.request('chat.auth.logout', {}).then(function () {
      sessionStorage.removeItem('chat.token');
      me = null;
      client.close();
      showLogin();
    }, fail);
  }

  function setConversations(list) {
    conversations = {};
    list.forEach(function (c) { conversations[c.conversation] = c; });
    renderConversations();
  }

  function refreshConversations() {
    return client.request('chat.conversation.list', {}).then(function (answer) {
      setConversations(answer.conversations);
    }, fail);
  }

  function renderConversations() {
    var ul = $('conversations');
    ul.textContent = '';
    Object.keys(conversations).forEach(function (id) {
      var c = conversations[id];
      var li = document.createElement('li');
      li.dataset.conversation = id;
      li.textContent = (c.kind === 'group' ? '# ' : '@ ') + c.name;
      var unread = c.lastSeq - c.ackSeq;
      if (unread > 0 && (!current || current.conversation !== id)) {
        var badge = document.createElement('span');
        badge.className = 'unread';
        badge.textContent = unread;
        li.appendChild(badge);
      }
      if (current && current.conversation === id) li.className = 'selected';
      li.onclick = function () { open(id); };
      ul.appendChild(li);
    });
  }

  function refreshGroups() {
    client.request('chat.group.list', {}).then(function (answer) {
      var ul = $('groups');
      ul.textContent = '';
      answer.groups.forEach(function (g) {
        var li = document.createElement('li');
        li.dataset.conversation = g.conversation;
        li.textContent = g.name + ' (' + g.members + ') ';
        if (!g.member) {
          var join = document.createElement('button');
          join.className = 'join';
          join.textContent = 'Join';
          join.onclick = function (event) {
            event.stopPropagation();
            client.request('chat.group.join', { conversation: g.conversation }).then(function () {
              return refreshConversations();
            }).then(function () { refreshGroups(); open(g.conversation); }, fail);
          };
          li.appendChild(join);
        } else {
          li.onclick = function () { open(g.conversation); };
        }
        ul.appendChild(li);
      });
    }, fail);
  }

  function open(id) {
    var c = conversations[id];
    if (!c) return;
    current = { conversation: id, name: c.name, kind: c.kind, lastSeq: 0, firstSeq: 0 };
    $('title').textContent = (c.kind === 'group' ? '# ' : '@ ') + c.name;
    $('messages').textContent = '';
    $('text').disabled = false;
    $('send').disabled = false;
    client.request('chat.message.history', { conversation: id, limit: 50 }).then(function (page) {
      if (!current || current.conversation !== id) return;
      page.messages.forEach(function (m) { show(m, false); });
      $('older').hidden = !page.more;
      ack();
      renderConversations();
    }, fail);
  }

  function older() {
    var id = current.conversation;
    client.request('chat.message.history', { conversation: id, beforeSeq: current.firstSeq, limit: 50 })
      .then(function (page) {
        if (!current || current.conversation !== id) return;
        page.messages.slice().reverse().forEach(function (m) { show(m, true); });
        $('older').hidden = !page.more;
      }, fail);
  }

  function show(m, atTop) {
    if ($('messages').querySelector('li[data-seq="' + m.seq + '"]')) return;   // already shown
    var li = document.createElement('li');
    li.className = 'message';
    li.dataset.seq = m.seq;
    var from = document.createElement('span');
    from.className = 'from';
    from.textContent = m.from;
    var text = document.createElement('span');
    text.className = 'text';
    text.textContent = m.text;
    li.appendChild(from);
    li.appendChild(text);
    var ul = $('messages');
    if (atTop) {
      ul.insertBefore(li, ul.firstChild);
    } else {
      ul.appendChild(li);
      ul.scrollTop = ul.scrollHeight;
    }
    if (!current.firstSeq || m.seq < current.firstSeq) current.firstSeq = m.seq;
    if (m.seq > current.lastSeq) current.lastSeq = m.seq;
  }

  function ack() {
    if (!current || !current.lastSeq) return;
    var c = conversations[current.conversation];
    if (c) c.ackSeq = Math.max(c.ackSeq, current.lastSeq);
    client.request('chat.message.ack', { conversation: current.conversation, seq: current.lastSeq })
      .catch(fail);
  }

  function onMessage(m) {
    var c = conversations[m.conversation];
    if (!c) {
      refreshConversations();
      return;
    }
    c.lastSeq = Math.max(c.lastSeq, m.seq);
    if (current && current.conversation === m.conversation) {
      if (current.lastSeq && m.seq > current.lastSeq + 1) {
        // Pushes of concurrent senders can cross: fetch what lies between.
        client.request('chat.message.pull', { conversation: m.conversation, afterSeq: current.lastSeq })
          .then(function (page) { page.messages.forEach(function (x) { show(x, false); }); ack(); }, fail);
      } else {
        show(m, false);
        ack();
      }
    }
    renderConversations();
  }

  function onMember(event) {
    if (event.user === me || !conversations[event.conversation]) refreshConversations();
    refreshGroups();
  }

  function send(event) {
    event.preventDefault();
    var text = $('text').value;
    if (!text.trim() || !current) return;

    var clientId = 'web-' + Date.now() + '-' + Math.random().toString(36).slice(2);
    var target = current.to ? { to: current.to } : { conversation: current.conversation };
    target.text = text;
    target.clientId = clientId;
    client.request('chat.message.send', target)
      .then(function (m) {
        $('text').value = '';
        if (current && current.to && !conversations[m.conversation]) {
          refreshConversations().then(function () { open(m.conversation); });
          return;
        }
        if (current && current.conversation === m.conversation) show(m, false);
        var c = conversations[m.conversation];
        if (c) { c.lastSeq = Math.max(c.lastSeq, m.seq); c.ackSeq = c.lastSeq; }
      }, fail);
  }

  function openDirect(event) {
    event.preventDefault();
    var peer = $('peer').value.trim();
    var existing = Object.keys(conversations).filter(function (id) {
      return conversations[id].kind === 'direct' && conversations[id].name === peer;
    })[0];
    if (existing) {
      open(existing);
      return;
    }
    // A direct conversation starts with its first message: until then it is only a recipient.
    current = { to: peer, name: peer, kind: 'direct', lastSeq: 0, firstSeq: 0 };
    $('title').textContent = '@ ' + peer;
    $('messages').textContent = '';
    $('older').hidden = true;
    $('text').disabled = false;
    $('send').disabled = false;
    renderConversations();
  }

  function createGroup(event) {
    event.preventDefault();
    client.request('chat.group.create', { name: $('group-name').value }).then(function (g) {
      $('group-name').value = '';
      return refreshConversations().then(function () { refreshGroups(); open(g.conversation); });
    }, fail);
  }

  $('login-form').addEventListener('submit', login);
  $('register').addEventListener('click', register);
  $('logout').addEventListener('click', logout);
  $('send-form').addEventListener('submit', send);
  $('direct-form').addEventListener('submit', openDirect);
  $('group-form').addEventListener('submit', createGroup);
  $('refresh-groups').addEventListener('click', refreshGroups);
  $('older').addEventListener('click', older);

  var token = sessionStorage.getItem('chat.token');
  if (token) resume(token); else showLogin();
})();
