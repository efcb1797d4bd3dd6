'use strict';
/*
 * NetEase's unchanged browser client pomelo-jsclient-websocket resuming a dropped session on a Switchboard demo
 * server with resume on (DESIGN §11): the only thing the app does is put two fields in the handshake `user` that
 * pomelo.init already sends.
 *
 *   node pomelo-resume.js <host> <port>
 *
 * ann and bob (two instances of the client, each loaded as published) join a room; ann's connection vanishes (the
 * socket is destroyed: no WebSocket close frame, as when a phone loses its network); bob says three things; ann
 * calls pomelo.init again with user {resume: <token from user.session.resume>, received: <pushes she counted>}
 * and gets `resumed: true`, the same session, and exactly bob's three messages, in order, without rejoining.
 *
 * Prints one line "POMELO-RESUME-SUMMARY <json>" (last line of stdout) and exits 0 when every check passed, 1 on
 * any mismatch, 2 on a crash or timeout.
 */
const util = require('util');
const { sleep, within, harness, installBrowserGlobals } = require('./harness');

const HOST = process.argv[2] || '127.0.0.1';
const PORT = Number(process.argv[3] || 3010);
const TIMEOUT_MS = 60000;
const PUSH_ROUTES = ['onJoin', 'onChat', 'onLeave', 'onTell'];

const { summary, check, run } = harness('POMELO-RESUME-SUMMARY', HOST, PORT, TIMEOUT_MS);

// The WebSocket subclass only remembers its sockets, so the test can make one vanish as a lost network would.
const sockets = [];
installBrowserGlobals(WebSocket => class RememberedWebSocket extends WebSocket {
    constructor(url, protocols) {
        super(url, protocols);
        sockets.push(this);
    }
});

/** A fresh instance of the published client (the module keeps one client per load). */
function newClient() {
    delete require.cache[require.resolve('pomelo-jsclient-websocket')];
    return require('pomelo-jsclient-websocket');
}

/** A client that counts every push it gets, as a resuming client must, and keeps its chat pushes. */
function member(name) {
    const pomelo = newClient();
    const m = { name, pomelo, received: 0, chats: [], leaves: [], session: null, socket: null };
    for (const route of PUSH_ROUTES) {
        pomelo.on(route, body => {
            m.received++;
            if (route === 'onChat') {
                m.chats.push(body);
            } else if (route === 'onLeave') {
                m.leaves.push(body);
            }
        });
    }
    m.init = user => within(10000, name + ' init', new Promise(resolve => {
        pomelo.init({ host: HOST, port: PORT, user,
            handshakeCallback: u => { m.session = u && u.session; } }, resolve);
        m.socket = sockets[sockets.length - 1];
    }));
    m.request = (route, body) => within(10000, name + ' ' + route,
        new Promise(resolve => pomelo.request(route, body, resolve)));
    m.chatsReach = n => within(10000, name + ' has ' + n + ' chats', (async () => {
        while (m.chats.length < n) {
            await sleep(10);
        }
    })());
    return m;
}

async function resume() {
    const ann = member('ann');
    const bob = member('bob');
    await ann.init({});
    check('the handshake user carries session.id and session.resume', ann.session && ann.session.id
        && typeof ann.session.resume === 'string', ann.session);
    const first = ann.session;
    summary.firstSession = { id: first.id, hasToken: typeof first.resume === 'string' };
    await bob.init({});
    summary.annJoin = await ann.request('demo.room.join', { room: 'resume', name: 'ann' });
    summary.bobJoin = await bob.request('demo.room.join', { room: 'resume', name: 'bob' });
    await within(10000, 'ann hears bob join', (async () => { while (ann.received < 1) { await sleep(10); } })());

    // ann's network goes: the socket is destroyed, no close frame. Her app stops the client's timers.
    const closed = within(10000, 'ann close', new Promise(resolve => ann.pomelo.once('close', resolve)));
    ann.socket.terminate();
    await closed;
    ann.pomelo.disconnect();
    const receivedAtDrop = ann.received;
    summary.receivedAtDrop = receivedAtDrop;

    for (const text of ['one', 'two', 'three']) {
        bob.pomelo.notify('demo.room.say', { text });
    }
    await bob.chatsReach(3);

    // back: the same unchanged init, with the token and the count in the handshake's user
    const resumeUser = { resume: first.resume, received: receivedAtDrop };
    await ann.init(resumeUser);
    summary.resumeUser = resumeUser;
    summary.resumeAnswer = ann.session;
    check('resumed: true, same session id', ann.session && ann.session.resumed === true
        && ann.session.id === first.id, ann.session);
    check('a new token', ann.session && typeof ann.session.resume === 'string'
        && ann.session.resume !== first.resume, ann.session);
    await ann.chatsReach(3);
    summary.replayed = ann.chats.map(c => c.text);

    // still in the room without a rejoin: bob hears her, she hears bob, once each
    ann.pomelo.notify('demo.room.say', { text: 'back' });
    await bob.chatsReach(4);
    await ann.chatsReach(4);
    summary.bobHeard = bob.chats.map(c => c.from + ':' + c.text);
    summary.annChats = ann.chats.map(c => c.from + ':' + c.text);
    summary.bobLeaves = bob.leaves.length;
    check('ann got exactly the three, in order, then her own', util.isDeepStrictEqual(summary.annChats,
        ['bob:one', 'bob:two', 'bob:three', 'ann:back']), summary.annChats);
    check('bob never saw ann leave', bob.leaves.length === 0, bob.leaves);

    // a token used once does not resume again: a fresh session, resumed false
    const replayer = member('replayer');
    await replayer.init({ resume: first.resume, received: receivedAtDrop });
    summary.reusedAnswer = replayer.session;
    check('a reused token gets resumed: false', replayer.session && replayer.session.resumed === false
        && replayer.session.id !== first.id, replayer.session);
    for (const m of [ann, bob, replayer]) {
        m.pomelo.disconnect();
    }
}

run(resume);
