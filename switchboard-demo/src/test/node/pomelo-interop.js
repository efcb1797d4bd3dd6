'use strict';
/*
 * NetEase's own Pomelo client code against a running Switchboard demo server, unchanged.
 *
 *   node pomelo-interop.js <host> <port>
 *
 * Part "raw": pomelo-protocol's Package/Message encode and decode (node mode, Buffers, as Pomelo servers and
 * node clients load it) over a plain TCP socket: handshake, ack, heartbeats, requests with a route compressed
 * from the handshake's dict and with a string route, a notify, the push it causes, an unknown route's error.
 *
 * Part "browser": the official browser client pomelo-jsclient-websocket, loaded as published, with only the
 * browser globals it reads supplied (window, window.Protocol from pomelo-protocol in browser mode, i.e.
 * Uint8Array, window.EventEmitter, window.localStorage, WebSocket from the ws package), over WebSocket:
 * init, requests, notify to push, an unknown route, and heartbeats across several intervals.
 *
 * Prints one line "POMELO-INTEROP-SUMMARY <json>" with what it observed (last line of stdout) and exits 0 when
 * every check passed, 1 on any mismatch, 2 on a crash or timeout.
 */
const net = require('net');
const util = require('util');
const { EventEmitter } = require('events');
const { sleep, within, harness, installBrowserGlobals } = require('./harness');

const HOST = process.argv[2] || '127.0.0.1';
const PORT = Number(process.argv[3] || 3010);
const TIMEOUT_MS = 60000;

const { summary, check, run } = harness('POMELO-INTEROP-SUMMARY', HOST, PORT, TIMEOUT_MS);
summary.raw = {};
summary.browser = {};

function sameJson(a, b) {
    return util.isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

function hex(bytes, max) {
    const b = Buffer.from(bytes.buffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes);
    return b.subarray(0, max || b.length).toString('hex').replace(/(..)(?!$)/g, '$1 ');
}

// ---------------------------------------------------------------------------------------------------------------
// NetEase's codec, twice: node mode (Buffer) for the raw TCP part, then browser mode (Uint8Array) for the browser
// client. protocol.js picks its mode from `typeof window` when it is loaded, so it is loaded once before window
// exists and once after (a fresh module instance, nothing patched).
const protocolFile = require.resolve('pomelo-protocol/lib/protocol.js');
const NodeProtocol = require('pomelo-protocol');
delete require.cache[protocolFile];
delete require.cache[require.resolve('pomelo-protocol')];

// ---------------------------------------------------------------------------------------------------------------
// (b) raw TCP with pomelo-protocol
async function rawTcp() {
    const { Package, Message } = NodeProtocol;
    const raw = summary.raw;
    raw.codecMode = Buffer.isBuffer(Package.encode(Package.TYPE_HEARTBEAT)) ? 'Buffer' : 'Uint8Array';
    const socket = net.connect(PORT, HOST);
    const events = new EventEmitter();
    let pending = Buffer.alloc(0);
    const heartbeatsIn = [];
    let closed = false;

    socket.on('data', chunk => {
        pending = Buffer.concat([pending, chunk]);
        // frame complete packages by their 4-byte head, then hand them to NetEase's Package.decode
        let end = 0;
        while (pending.length - end >= 4) {
            const length = (pending[end + 1] << 16) | (pending[end + 2] << 8) | pending[end + 3];
            if (pending.length - end - 4 < length) {
                break;
            }
            end += 4 + length;
        }
        if (end === 0) {
            return;
        }
        const complete = pending.subarray(0, end);
        pending = Buffer.from(pending.subarray(end));
        let packages = Package.decode(complete);
        packages = Array.isArray(packages) ? packages : [packages];
        for (const pkg of packages) {
            events.emit('package', pkg);
        }
    });
    socket.on('close', () => { closed = true; events.emit('closed'); });
    socket.on('error', e => { summary.raw.socketError = String(e); });

    const next = (what, predicate) => within(10000, 'raw ' + what, new Promise((resolve, reject) => {
        const onPackage = pkg => {
            if (predicate(pkg)) {
                events.off('package', onPackage);
                events.off('closed', onClosed);
                resolve(pkg);
            }
        };
        const onClosed = () => reject(new Error('raw socket closed while waiting for ' + what));
        events.on('package', onPackage);
        events.once('closed', onClosed);
    }));

    // heartbeats: like NetEase's clients, answer a server heartbeat one interval later (the server, like Pomelo's,
    // answers a client heartbeat at once; answering at once here too would ping-pong without pause)
    let heartbeatMs = 0;
    let heartbeatTimer = null;
    events.on('package', pkg => {
        if (pkg.type === Package.TYPE_HEARTBEAT) {
            heartbeatsIn.push(Date.now());
            if (heartbeatMs && !heartbeatTimer && !closed) {
                heartbeatTimer = setTimeout(() => {
                    heartbeatTimer = null;
                    if (!closed) {
                        socket.write(Package.encode(Package.TYPE_HEARTBEAT));
                    }
                }, heartbeatMs);
            }
        }
    });
    await within(10000, 'raw connect', new Promise((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
    }));

    // handshake
    const handshakeSent = Package.encode(Package.TYPE_HANDSHAKE, NodeProtocol.strencode(JSON.stringify({
        sys: { type: 'pomelo-protocol-node', version: '0.1.6', rsa: {} }, user: { who: 'interop' }
    })));
    const handshakeReply = next('handshake', p => p.type === Package.TYPE_HANDSHAKE);
    socket.write(handshakeSent);
    const hs = JSON.parse(NodeProtocol.strdecode((await handshakeReply).body));
    raw.handshake = { code: hs.code, heartbeat: hs.sys && hs.sys.heartbeat, useDict: hs.sys && hs.sys.useDict,
        serializer: hs.sys && hs.sys.serializer, hasUser: Object.prototype.hasOwnProperty.call(hs, 'user'),
        dictSize: hs.sys && hs.sys.dict ? Object.keys(hs.sys.dict).length : 0 };
    check('raw handshake code 200', hs.code === 200, hs);
    heartbeatMs = (hs.sys && hs.sys.heartbeat ? hs.sys.heartbeat : 0) * 1000;
    const dict = (hs.sys && hs.sys.dict) || {};
    raw.dict = { 'demo.echo.say': dict['demo.echo.say'], 'demo.echo.tell': dict['demo.echo.tell'],
        'demo.room.join': dict['demo.room.join'], onTell: dict.onTell };
    check('raw dict has demo.echo.say, demo.echo.tell and onTell',
        Number.isInteger(dict['demo.echo.say']) && Number.isInteger(dict['demo.echo.tell'])
        && Number.isInteger(dict.onTell), raw.dict);

    // ack; the server sends a heartbeat right after it
    const firstHeartbeat = next('heartbeat after ack', p => p.type === Package.TYPE_HEARTBEAT);
    const ack = Package.encode(Package.TYPE_HANDSHAKE_ACK);
    raw.ackBytes = hex(ack);
    socket.write(ack);
    await firstHeartbeat;
    raw.heartbeatAfterAck = true;

    const responses = new Map();
    const pushes = [];
    events.on('package', pkg => {
        if (pkg.type !== Package.TYPE_DATA) {
            return;
        }
        const msg = Message.decode(pkg.body);
        const seen = { flag: pkg.body[0], id: msg.id, type: msg.type, compressRoute: msg.compressRoute,
            route: msg.route, body: JSON.parse(NodeProtocol.strdecode(msg.body)), bytes: hex(pkg.body, 24) };
        if (msg.type === Message.TYPE_RESPONSE) {
            responses.set(msg.id, seen);
            events.emit('response', seen);
        } else if (msg.type === Message.TYPE_PUSH) {
            pushes.push(seen);
            events.emit('push', seen);
        }
    });
    const response = id => responses.has(id) ? Promise.resolve(responses.get(id))
        : within(10000, 'raw response ' + id, new Promise(resolve => {
            const on = seen => { if (seen.id === id) { events.off('response', on); resolve(seen); } };
            events.on('response', on);
        }));
    const push = route => within(10000, 'raw push ' + route, new Promise(resolve => {
        const on = seen => { if (seen.route === route) { events.off('push', on); resolve(seen); } };
        events.on('push', on);
        for (const seen of pushes) {
            if (seen.route === route) { events.off('push', on); resolve(seen); }
        }
    }));
    const body = json => NodeProtocol.strencode(JSON.stringify(json));
    const data = (id, type, compress, route, json) =>
        Package.encode(Package.TYPE_DATA, Message.encode(id, type, compress, route, body(json)));

    // request id 1, route compressed to its dict code
    const echoBody = { hello: 'world', n: [1, 2], text: 'h\u00e9llo \u2603 \ud83c\udf4a' };
    const compressed = data(1, Message.TYPE_REQUEST, 1, dict['demo.echo.say'], echoBody);
    raw.compressedRequestBytes = hex(compressed, 10);
    socket.write(compressed);
    const echo1 = await response(1);
    raw.compressedEcho = echo1;
    check('raw compressed-route request echoed', sameJson(echo1.body, echoBody), echo1);
    check('raw response is a plain Pomelo response (flag 0x04)', echo1.flag === 0x04 && echo1.route === null, echo1);

    // request id 300 (two-byte varint), route as a string; and a notify in the same TCP write
    const stringRoute = data(300, Message.TYPE_REQUEST, 0, 'demo.echo.say', { id: 300 });
    const notify = data(0, Message.TYPE_NOTIFY, 1, dict['demo.echo.tell'], { n: 7 });
    raw.stringRouteRequestBytes = hex(stringRoute, 10);
    raw.notifyBytes = hex(notify, 8);
    const tellPush = push(dict.onTell);
    socket.write(Buffer.concat([stringRoute, notify]));
    const echo300 = await response(300);
    raw.varintEcho = echo300;
    check('raw request id 300 answered with id 300', echo300.id === 300 && sameJson(echo300.body, { id: 300 }),
        echo300);
    const tell = await tellPush;
    raw.onTell = { flag: tell.flag, compressRoute: tell.compressRoute, routeCode: tell.route,
        route: Object.keys(dict).find(k => dict[k] === tell.route), body: tell.body, bytes: tell.bytes };
    check('raw push onTell with the dict code and the notify body',
        tell.compressRoute === 1 && tell.route === dict.onTell && sameJson(tell.body, { n: 7 }), raw.onTell);

    // room join with a compressed route
    socket.write(data(2, Message.TYPE_REQUEST, 1, dict['demo.room.join'], { room: 'r-raw', name: 'raw' }));
    const join = await response(2);
    raw.join = join.body;
    check('raw demo.room.join answers code 200 with the member',
        sameJson(join.body, { code: 200, members: ['raw'] }), join);

    // unknown route (not in the dict, so a string route)
    socket.write(data(3, Message.TYPE_REQUEST, 0, 'demo.nope.nope', {}));
    const unknown = await response(3);
    raw.unknownRoute = { flag: unknown.flag, decodedType: unknown.type, body: unknown.body, bytes: unknown.bytes };
    check('raw unknown route: a response with {code,msg}', unknown.type === Message.TYPE_RESPONSE
        && typeof unknown.body.code === 'number' && typeof unknown.body.msg === 'string', unknown);

    // stay across two heartbeat intervals (answering the server's heartbeats) and ask once more
    await sleep((heartbeatMs || 1000) * 2.5);
    socket.write(data(4, Message.TYPE_REQUEST, 1, dict['demo.echo.say'], { after: 'heartbeats' }));
    const late = await response(4);
    raw.heartbeatsReceived = heartbeatsIn.length;
    check('raw connection alive after 2.5 heartbeat intervals', !closed && sameJson(late.body, { after: 'heartbeats' }),
        { closed, late });
    check('raw received at least 2 heartbeats', heartbeatsIn.length >= 2, heartbeatsIn.length);
    clearTimeout(heartbeatTimer);
    socket.end();
    socket.destroy();
}

// ---------------------------------------------------------------------------------------------------------------
// (a) the browser client, unchanged, with the browser globals it reads
const wire = { in: [], out: [] };

// the browser's WebSocket; the subclass only records frames for the summary
const observed = WebSocket => class ObservedWebSocket extends WebSocket {
    constructor(url, protocols) {
        super(url, protocols);
        this.addEventListener('message', event => {
            wire.in.push({ at: Date.now(), bytes: new Uint8Array(event.data) });
        });
    }

    send(data) {
        wire.out.push({ at: Date.now(), bytes: new Uint8Array(data.slice ? data.slice(0) : data) });
        return super.send(data);
    }
};

async function browserClient() {
    const BrowserProtocol = installBrowserGlobals(observed);
    const b = summary.browser;
    b.codecMode = Buffer.isBuffer(BrowserProtocol.Package.encode(3)) ? 'Buffer' : 'Uint8Array';
    const pomelo = require('pomelo-jsclient-websocket');
    b.loadedUnchanged = require.resolve('pomelo-jsclient-websocket');
    const errors = [];
    const closes = [];
    let heartbeatTimeouts = 0;
    pomelo.on('error', e => errors.push(String(e)));
    pomelo.on('io-error', e => errors.push('io-error ' + (e && e.message)));
    pomelo.on('close', e => closes.push(e && e.code));
    pomelo.on('heartbeat timeout', () => { heartbeatTimeouts++; });
    pomelo.on('onKick', data => errors.push('kicked ' + JSON.stringify(data)));

    let handshakeUser = 'not called';
    await within(10000, 'pomelo.init', new Promise(resolve => {
        pomelo.init({ host: HOST, port: PORT, user: { who: 'browser' },
            handshakeCallback: user => { handshakeUser = user; } }, resolve);
    }));
    b.initDone = true;
    b.handshakeCallbackUser = handshakeUser === undefined ? null : handshakeUser;
    const hsIn = wire.in.find(f => f.bytes[0] === BrowserProtocol.Package.TYPE_HANDSHAKE);
    const hs = JSON.parse(Buffer.from(hsIn.bytes.subarray(4)).toString('utf8'));
    b.handshake = { code: hs.code, heartbeat: hs.sys.heartbeat, dictSize: Object.keys(hs.sys.dict || {}).length };
    const hsOut = JSON.parse(Buffer.from(wire.out[0].bytes.subarray(4)).toString('utf8'));
    b.clientHandshake = hsOut;
    check('browser client handshake sys.type js-websocket', hsOut.sys && hsOut.sys.type === 'js-websocket', hsOut);

    const request = (route, msg) => within(10000, 'browser request ' + route,
        new Promise(resolve => pomelo.request(route, msg, resolve)));
    const lastOut = () => wire.out[wire.out.length - 1].bytes;

    // request demo.echo.say: the library compresses the route with the handshake's dict
    const echoBody = { hello: 'world', n: [1, 2], text: 'h\u00e9llo \u2603' };
    const echoing = request('demo.echo.say', echoBody);
    const echoFrame = lastOut();
    b.echoRequestBytes = hex(echoFrame, 10);
    b.echoRouteCompressed = (echoFrame[4] & 0x01) === 1
        && ((echoFrame[6] << 8) | echoFrame[7]) === hs.sys.dict['demo.echo.say'];
    b.echo = await echoing;
    check('browser echo body', sameJson(b.echo, echoBody), b.echo);
    check('browser client compressed the route from the dict', b.echoRouteCompressed, b.echoRequestBytes);

    // notify demo.echo.tell -> push onTell (pushed with a compressed route the client expands from the dict)
    const told = within(10000, 'browser push onTell', new Promise(resolve => pomelo.once('onTell', resolve)));
    pomelo.notify('demo.echo.tell', { n: 7 });
    b.onTell = await told;
    check('browser push onTell', sameJson(b.onTell, { n: 7 }), b.onTell);

    // rooms
    b.join = await request('demo.room.join', { room: 'r1', name: 'ann' });
    check('browser demo.room.join members', sameJson(b.join, { code: 200, members: ['ann'] }), b.join);
    const chatted = within(10000, 'browser push onChat', new Promise(resolve => pomelo.once('onChat', resolve)));
    pomelo.notify('demo.room.say', { text: 'hi' });
    b.onChat = await chatted;
    check('browser push onChat', sameJson(b.onChat, { from: 'ann', text: 'hi' }), b.onChat);

    // an unknown route: the client hands the callback the error body
    const inBefore = wire.in.length;
    b.unknownRoute = await request('demo.nope.nope', { x: 1 });
    const errFrame = wire.in.slice(inBefore).find(f => f.bytes[0] === 4);
    b.unknownRouteFlag = errFrame ? errFrame.bytes[4] : null;
    check('browser unknown route surfaces {code,msg}', b.unknownRoute && typeof b.unknownRoute.code === 'number'
        && typeof b.unknownRoute.msg === 'string', b.unknownRoute);

    // heartbeats: the library answers the server's heartbeats one interval later and times out after two
    // silent intervals; stay connected across three intervals, then ask again
    const interval = hs.sys.heartbeat * 1000;
    await sleep(interval * 3.2);
    b.late = await request('demo.echo.say', { after: 'heartbeats' });
    check('browser answered after 3 heartbeat intervals', sameJson(b.late, { after: 'heartbeats' }), b.late);
    b.heartbeatsReceived = wire.in.filter(f => f.bytes[0] === 3).length;
    b.heartbeatsSent = wire.out.filter(f => f.bytes[0] === 3).length;
    b.heartbeatTimeouts = heartbeatTimeouts;
    b.closesBeforeDisconnect = closes.length;
    b.errors = errors;
    check('browser got at least 3 server heartbeats', b.heartbeatsReceived >= 3, b.heartbeatsReceived);
    check('browser sent at least 2 heartbeats', b.heartbeatsSent >= 2, b.heartbeatsSent);
    check('browser no heartbeat timeout, close or error', heartbeatTimeouts === 0 && closes.length === 0
        && errors.length === 0, { heartbeatTimeouts, closes, errors });
    pomelo.disconnect();
}

run(async () => {
    await rawTcp();
    await browserClient();
});
