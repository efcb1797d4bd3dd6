// A small client of the Pomelo protocol over WebSocket (binary frames), written for Switchboard's chat page.
// Packages [type:1][length:3 big-endian][body]; messages [flag:1][id varint][route][body]; handshake,
// handshake-ack, heartbeats, kick; requests, notifies, responses (Pitaya's 0x20 error flag) and pushes;
// routes compressed with the dictionary the server sends in its handshake answer; optional reconnect and resume
// (README "Reconnect and resume").
(function (global) {
  'use strict';

  var PKG_HANDSHAKE = 1, PKG_HANDSHAKE_ACK = 2, PKG_HEARTBEAT = 3, PKG_DATA = 4, PKG_KICK = 5;
  var MSG_REQUEST = 0, MSG_NOTIFY = 1, MSG_RESPONSE = 2, MSG_PUSH = 3;
  var FLAG_ROUTE_CODE = 0x01, FLAG_GZIP = 0x10, FLAG_ERROR = 0x20;
  var MAX_BODY = 0xFFFFFF;
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();

  function encodePackage(type, body) {
    var length = body ? body.length : 0;
    if (length > MAX_BODY) throw new Error('package body too large: ' + length);
    var out = new Uint8Array(4 + length);
    out[0] = type;
    out[1] = (length >> 16) & 0xFF;
    out[2] = (length >> 8) & 0xFF;
    out[3] = length & 0xFF;
    if (body) out.set(body, 4);
    return out;
  }

  // A frame may carry several packages.
  function decodePackages(bytes) {
    var packages = [], offset = 0;
    while (offset + 4 <= bytes.length) {
      var length = (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
      if (offset + 4 + length > bytes.length) throw new Error('truncated package');
      packages.push({ type: bytes[offset], body: bytes.subarray(offset + 4, offset + 4 + length) });
      offset += 4 + length;
    }
    if (offset !== bytes.length) throw new Error('trailing bytes after packages');
    return packages;
  }

  function encodeVarint(id) {
    var out = [];
    do {
      var low = id % 128;
      id = Math.floor(id / 128);
      out.push(id > 0 ? low | 0x80 : low);
    } while (id > 0);
    return out;
  }

  function encodeMessage(type, id, route, routeCode, body) {
    var head = [(type << 1) | (routeCode ? FLAG_ROUTE_CODE : 0)];
    if (type === MSG_REQUEST) head = head.concat(encodeVarint(id));
    if (routeCode) {
      head.push((routeCode >> 8) & 0xFF, routeCode & 0xFF);
    } else {
      var routeBytes = encoder.encode(route);
      if (routeBytes.length > 255) throw new Error('route too long: ' + route);
      head.push(routeBytes.length);
      for (var i = 0; i < routeBytes.length; i++) head.push(routeBytes[i]);
    }
    var out = new Uint8Array(head.length + body.length);
    out.set(head, 0);
    out.set(body, head.length);
    return out;
  }

  function decodeMessage(bytes, codeToRoute) {
    var flag = bytes[0], offset = 1;
    var type = (flag >> 1) & 0x07;
    var message = { type: type, id: 0, route: null, error: (flag & FLAG_ERROR) !== 0 };
    if (flag & FLAG_GZIP) throw new Error('compressed bodies are not supported by this client');
    if (type === MSG_REQUEST || type === MSG_RESPONSE) {
      var id = 0, factor = 1, b;
      do {
        b = bytes[offset++];
        id += (b & 0x7F) * factor;
        factor *= 128;
      } while (b >= 0x80);
      message.id = id;
    }
    if (type === MSG_REQUEST || type === MSG_NOTIFY || type === MSG_PUSH) {
      if (flag & FLAG_ROUTE_CODE) {
        var code = (bytes[offset] << 8) | bytes[offset + 1];
        offset += 2;
        message.route = codeToRoute[code];
        if (!message.route) throw new Error('unknown route code ' + code);
      } else {
        var length = bytes[offset++];
        message.route = decoder.decode(bytes.subarray(offset, offset + length));
        offset += length;
      }
    }
    var body = bytes.subarray(offset);
    message.body = body.length ? JSON.parse(decoder.decode(body)) : null;
    return message;
  }

  // options.reconnect (optional): {initialMs, maxMs, jitter (0..1, default 1: full jitter), maxAttempts (0: no
  // limit)}. With it, a connection that drops (not a kick, not close()) is opened again with exponential backoff and
  // jitter, and the handshake asks to resume the session (user.resume = the token of the last answer's sys.session,
  // user.received = the pushes received on the session). Events: 'disconnect' {reason} at the drop (pending
  // requests are then rejected: they may or may not have reached the server), 'reconnect' {resumed, answer} once
  // connected again, before any replayed push; 'close' {reason} when the client is done (kick, close(), gave up).
  function PomeloClient(options) {
    this.socket = null;
    this.nextId = 1;
    this.pending = {};
    this.listeners = {};
    this.routeToCode = {};
    this.codeToRoute = {};
    this.heartbeatMillis = 0;
    this.heartbeatTimer = null;
    this.lastHeard = 0;
    this.reconnectPolicy = options && options.reconnect ? {
      initialMs: options.reconnect.initialMs || 500,
      maxMs: options.reconnect.maxMs || 10000,
      jitter: options.reconnect.jitter === undefined ? 1 : options.reconnect.jitter,
      maxAttempts: options.reconnect.maxAttempts || 0
    } : null;
    this.user = {};
    this.resumeToken = null;
    this.received = 0;
    this.attempt = 0;
    this.retryTimer = null;
    this.closing = false;
  }

  // Resolves with the server's handshake answer ({code, sys, user}) once the handshake-ack is sent. this.user is
  // the handshake's user object, here and on every reconnect (the app may change it, e.g. to log in by token).
  PomeloClient.prototype.connect = function (url, user) {
    this.url = url;
    this.user = user || {};
    return this.open(false);
  };

  PomeloClient.prototype.open = function (reconnecting) {
    var self = this;
    return new Promise(function (resolve, reject) {
      var socket = new WebSocket(self.url);
      socket.binaryType = 'arraybuffer';
      self.socket = socket;
      self.kicked = false;
      var handshaken = false, asked = false;
      socket.onopen = function () {
        var user = self.user;
        if (self.resumeToken) {
          user = Object.assign({}, user, { resume: self.resumeToken, received: self.received });
          asked = true;
        }
        var hello = { sys: { type: 'js-websocket', version: '0.1.0' }, user: user };
        socket.send(encodePackage(PKG_HANDSHAKE, encoder.encode(JSON.stringify(hello))));
      };
      socket.onerror = function () {
        if (!handshaken) reject(new Error('cannot connect to ' + self.url));
      };
      socket.onclose = function () {
        self.ready = false;
        self.stopHeartbeat();
        if (!handshaken) reject(new Error('connection closed during the handshake'));
        for (var id in self.pending) self.pending[id].reject(new Error('connection closed'));
        self.pending = {};
        var reason = self.kickReason || 'connection closed';
        self.kickReason = null;
        if (handshaken && self.reconnectPolicy && !self.kicked && !self.closing) {
          self.emit('disconnect', { reason: reason });
          self.scheduleReconnect(reason);
        } else if (!reconnecting || handshaken) {
          self.emit('close', { reason: reason });
        }
      };
      socket.onmessage = function (event) {
        self.lastHeard = Date.now();
        var packages;
        try {
          packages = decodePackages(new Uint8Array(event.data));
        } catch (e) {
          socket.close();
          return;
        }
        packages.forEach(function (pkg) {
          if (pkg.type === PKG_HANDSHAKE) {
            var answer = JSON.parse(decoder.decode(pkg.body));
            if (answer.code !== 200) {
              var refused = new Error('handshake refused with code ' + answer.code);
              refused.refused = true;
              reject(refused);
              socket.close();
              return;
            }
            var sys = answer.sys || {};
            if (sys.dict) {
              self.routeToCode = sys.dict;
              self.codeToRoute = {};
              for (var route in sys.dict) self.codeToRoute[sys.dict[route]] = route;
            }
            // Before any push is read: a fresh session counts from 0, a resumed one counts on (its replay first).
            var session = sys.session || {};
            var resumed = asked && session.resumed === true;
            if (!resumed) self.received = 0;
            self.resumeToken = session.resume || null;
            self.heartbeatMillis = (sys.heartbeat || 0) * 1000;
            socket.send(encodePackage(PKG_HANDSHAKE_ACK));
            handshaken = true;
            self.ready = true;
            self.attempt = 0;
            self.startHeartbeat();
            if (reconnecting) self.emit('reconnect', { resumed: resumed, answer: answer });
            resolve(answer);
          } else if (pkg.type === PKG_HEARTBEAT) {
            // Any package proves the server alive; nothing to answer.
          } else if (pkg.type === PKG_DATA) {
            self.onMessage(decodeMessage(pkg.body, self.codeToRoute));
          } else if (pkg.type === PKG_KICK) {
            var kick = pkg.body.length ? JSON.parse(decoder.decode(pkg.body)) : {};
            self.kicked = true;
            self.kickReason = 'kicked: ' + (kick.reason || 'kicked');
            self.emit('kick', kick);
          }
        });
      };
    });
  };

  // The wait before attempt n (from 1): a random share (jitter) of min(maxMs, initialMs * 2^(n-1)).
  PomeloClient.backoff = function (policy, attempt, random) {
    var cap = Math.min(policy.maxMs, policy.initialMs * Math.pow(2, Math.min(attempt - 1, 30)));
    return cap * (1 - policy.jitter * random);
  };

  PomeloClient.prototype.scheduleReconnect = function (reason) {
    var self = this, policy = this.reconnectPolicy;
    this.attempt++;
    if (policy.maxAttempts && this.attempt > policy.maxAttempts) {
      this.emit('close', { reason: reason + '; gave up reconnecting after ' + policy.maxAttempts + ' attempts' });
      return;
    }
    this.retryTimer = setTimeout(function () {
      self.retryTimer = null;
      if (self.closing) return;
      self.open(true).catch(function (error) {
        if (self.closing) return;
        if (error.refused) {
          self.emit('close', { reason: reason + '; ' + error.message });
        } else {
          self.scheduleReconnect(reason);
        }
      });
    }, PomeloClient.backoff(policy, this.attempt, Math.random()));
  };

  PomeloClient.prototype.onMessage = function (message) {
    if (message.type === MSG_RESPONSE) {
      var waiting = this.pending[message.id];
      if (!waiting) return;
      delete this.pending[message.id];
      if (message.error) {
        var error = new Error((message.body && message.body.msg) || 'error');
        error.code = message.body && message.body.code;
        waiting.reject(error);
      } else {
        waiting.resolve(message.body);
      }
    } else if (message.type === MSG_PUSH) {
      this.received++;
      this.emit(message.route, message.body);
    }
  };

  PomeloClient.prototype.request = function (route, body) {
    var self = this, id = this.nextId++;
    return new Promise(function (resolve, reject) {
      if (!self.ready) {
        reject(new Error('not connected'));
        return;
      }
      self.pending[id] = { resolve: resolve, reject: reject };
      self.send(MSG_REQUEST, id, route, body);
    });
  };

  PomeloClient.prototype.notify = function (route, body) {
    this.send(MSG_NOTIFY, 0, route, body);
  };

  PomeloClient.prototype.send = function (type, id, route, body) {
    if (!this.ready) throw new Error('not connected');
    var bytes = encoder.encode(JSON.stringify(body === undefined ? {} : body));
    var message = encodeMessage(type, id, route, this.routeToCode[route], bytes);
    this.socket.send(encodePackage(PKG_DATA, message));
  };

  PomeloClient.prototype.on = function (route, listener) {
    (this.listeners[route] = this.listeners[route] || []).push(listener);
    return this;
  };

  PomeloClient.prototype.emit = function (route, body) {
    (this.listeners[route] || []).forEach(function (listener) { listener(body); });
  };

  PomeloClient.prototype.startHeartbeat = function () {
    var self = this;
    if (!this.heartbeatMillis) return;
    this.lastHeard = Date.now();
    this.heartbeatTimer = setInterval(function () {
      if (Date.now() - self.lastHeard > 2 * self.heartbeatMillis) {
        self.kickReason = 'heartbeat timeout';
        self.socket.close();
        return;
      }
      self.socket.send(encodePackage(PKG_HEARTBEAT));
    }, this.heartbeatMillis);
  };

  PomeloClient.prototype.stopHeartbeat = function () {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  };

  PomeloClient.prototype.close = function () {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopHeartbeat();
    if (this.socket) this.socket.close();
  };

  PomeloClient.encodePackage = encodePackage;
  PomeloClient.decodePackages = decodePackages;
  PomeloClient.encodeMessage = encodeMessage;
  PomeloClient.decodeMessage = decodeMessage;
  global.PomeloClient = PomeloClient;
})(typeof window !== 'undefined' ? window : globalThis);
