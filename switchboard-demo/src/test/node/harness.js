'use strict';
/*
 * What the interop scripts share: the summary they print as their last line, checks that record failures, the
 * browser globals NetEase's browser client reads, and the run with its deadline and exit codes (0 every check
 * passed, 1 a mismatch, 2 a crash or timeout).
 */
const util = require('util');
const { EventEmitter } = require('events');

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

function within(ms, what, promise) {
    let timer;
    return Promise.race([
        promise,
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timed out: ' + what)), ms); })
    ]).finally(() => clearTimeout(timer));
}

/** A summary printed as "<label> <json>", its checks, and {@code run(main)}, which ends the process. */
function harness(label, host, port, timeoutMs) {
    const summary = { host, port, checks: [], failures: [] };

    function check(name, ok, detail) {
        summary.checks.push({ name, ok: !!ok });
        if (!ok) {
            summary.failures.push(name + (detail === undefined ? '' : ': ' + util.inspect(detail, { depth: 6 })));
        }
        return !!ok;
    }

    function finish(code) {
        summary.passed = summary.failures.length === 0 && code === 0;
        process.stdout.write(label + ' ' + JSON.stringify(summary) + '\n');
        process.exit(code !== 0 ? code : (summary.failures.length === 0 ? 0 : 1));
    }

    function run(main) {
        process.on('uncaughtException', e => {
            summary.failures.push('uncaught: ' + (e && e.stack ? e.stack : e));
            finish(2);
        });
        const deadline = setTimeout(() => {
            summary.failures.push('timed out after ' + timeoutMs + ' ms');
            finish(2);
        }, timeoutMs);
        (async () => {
            try {
                await main();
            } catch (e) {
                summary.failures.push('crashed: ' + (e && e.stack ? e.stack : e));
                clearTimeout(deadline);
                finish(2);
                return;
            }
            clearTimeout(deadline);
            finish(0);
        })();
    }

    return { summary, check, run };
}

/**
 * The browser globals pomelo-jsclient-websocket reads: window (the global object), window.Protocol (pomelo-protocol
 * loaded once window exists: browser mode, Uint8Array), window.EventEmitter (what pomelo's "boot" component
 * provides), a localStorage (read only if the server sends protos), and WebSocket (the ws package, as
 * {@code WebSocketClass(Base)} extends it to observe). Returns the browser-mode protocol module.
 */
function installBrowserGlobals(WebSocketClass) {
    globalThis.window = globalThis;
    const BrowserProtocol = require('pomelo-protocol');
    if (window.Protocol !== BrowserProtocol) {
        throw new Error('pomelo-protocol did not install window.Protocol');
    }
    window.EventEmitter = EventEmitter;
    const store = new Map();
    window.localStorage = {
        getItem: k => (store.has(k) ? store.get(k) : null),
        setItem: (k, v) => store.set(k, String(v)),
        removeItem: k => store.delete(k)
    };
    globalThis.WebSocket = WebSocketClass(require('ws').WebSocket);
    return BrowserProtocol;
}

module.exports = { sleep, within, harness, installBrowserGlobals };
