// Two people chat through the web page, each in their own headless Chromium with a fresh profile.
// Usage: node two-browsers-chat.cjs <base url> <chromium path> <profiles dir>. Prints "E2E OK" on success.
'use strict';
const { chromium } = require('playwright-core');
const path = require('path');

const [base, executablePath, profiles] = process.argv.slice(2);
const STEP = 20000;
const errors = [];

async function person(name) {
  const context = await chromium.launchPersistentContext(path.join(profiles, name), {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(STEP);
  page.on('console', (m) => console.log(`[${name} console] ${m.text()}`));
  page.on('pageerror', (e) => { errors.push(`${name}: ${e.message}`); console.log(`[${name} error] ${e.message}`); });
  const p = { name, context, page, sessionId: null };
  // The gate's handshake answer (package type 1) names the session: the test server drops it by that id.
  page.on('websocket', (ws) => ws.on('framereceived', (frame) => {
    const bytes = frame.payload;
    if (typeof bytes !== 'string' && bytes[0] === 1) {
      const session = (JSON.parse(bytes.subarray(4).toString('utf8')).sys || {}).session;
      if (session) p.sessionId = session.id;
    }
  }));
  await page.goto(base);
  return p;
}

async function register(p) {
  await p.page.fill('#name', p.name);
  await p.page.fill('#password', p.name + '-password');
  await p.page.click('#register');
  await p.page.waitForSelector('#chat-view:not([hidden])');
  const me = await p.page.textContent('#me');
  if (me !== p.name) throw new Error(`${p.name} sees "${me}" as their name`);
  console.log(`${p.name} registered and logged in`);
}

async function say(p, text) {
  await p.page.fill('#text', text);
  await p.page.click('#send');
  await sees(p, text);
}

async function sees(p, text) {
  await p.page.locator('#messages li.message', { hasText: text }).waitFor();
  console.log(`${p.name} sees "${text}"`);
}

// Asks the Java test to close the gate's end of a session's connection (no kick: the gate parks the session), and
// waits until it has.
const stdin = require('readline').createInterface({ input: process.stdin });
const stdinLines = stdin[Symbol.asyncIterator]();
async function dropServerSide(p) {
  console.log(`DROP ${p.sessionId}`);
  const answer = await stdinLines.next();
  if (answer.done || answer.value.trim() !== 'dropped') throw new Error(`the test did not drop ${p.name}: ${answer.value}`);
  console.log(`${p.name}'s connection was closed under the page`);
}

// Asks the Java test to move the gate's clock past the grace period, so it forgets that parked session, and waits
// until it has.
async function expireServerSide(p) {
  console.log(`EXPIRE ${p.sessionId}`);
  const answer = await stdinLines.next();
  if (answer.done || answer.value.trim() !== 'expired') throw new Error(`the test did not expire ${p.name}: ${answer.value}`);
  console.log(`${p.name}'s parked session ended with its grace period`);
}

async function count(p, text) {
  return p.page.locator('#messages li.message', { hasText: text }).count();
}

async function main() {
  const alice = await person('alice');
  const bob = await person('bob');
  try {
    await register(alice);
    await register(bob);

    // A refused login shows the chat error code, not a stack trace.
    const intruder = await person('intruder');
    await intruder.page.fill('#name', 'alice');
    await intruder.page.fill('#password', 'not-her-password');
    await intruder.page.click('#login');
    await intruder.page.locator('#status', { hasText: '1010000004' }).waitFor();
    console.log('a wrong password shows ' + await intruder.page.textContent('#status'));
    await intruder.context.close();

    await alice.page.fill('#group-name', 'lobby');
    await alice.page.click('#create-group');
    await alice.page.locator('#title', { hasText: '# lobby' }).waitFor();

    await bob.page.click('#refresh-groups');
    await bob.page.locator('#groups li', { hasText: 'lobby' }).locator('button.join').click();
    await bob.page.locator('#title', { hasText: '# lobby' }).waitFor();

    await say(alice, 'hello from alice');
    await sees(bob, 'hello from alice');
    await say(bob, 'hi alice, bob here');
    await sees(alice, 'hi alice, bob here');

    // A direct message to a conversation bob has not opened: it shows up in his list, unread.
    await alice.page.fill('#peer', 'bob');
    await alice.page.click('#open-direct');
    await say(alice, 'psst bob');
    const direct = bob.page.locator('#conversations li', { hasText: '@ alice' });
    await direct.locator('.unread').waitFor();
    await direct.click();
    await sees(bob, 'psst bob');

    // bob reloads: the token in his tab logs him in during the handshake; history is still there.
    await bob.page.reload();
    await bob.page.waitForSelector('#chat-view:not([hidden])');
    await bob.page.locator('#conversations li', { hasText: '# lobby' }).click();
    await sees(bob, 'hello from alice');
    await sees(bob, 'hi alice, bob here');
    await alice.page.locator('#conversations li', { hasText: '# lobby' }).click();
    await sees(alice, 'hi alice, bob here');
    await say(bob, 'back again');
    await sees(alice, 'back again');

    // bob's network goes away (new connections fail) and the gate loses his connection without a goodbye: the
    // page reconnects by itself once the network is back, resumes the session, and shows what alice said
    // meanwhile, once, from the replayed push (no pull).
    await bob.context.setOffline(true);
    await dropServerSide(bob);
    await bob.page.locator('#status', { hasText: 'reconnecting' }).waitFor();
    await say(alice, 'while you were away');
    await bob.context.setOffline(false);
    await bob.page.waitForFunction(() => document.getElementById('status').dataset.sync === 'resumed');
    await sees(bob, 'while you were away');
    const shown = await count(bob, 'while you were away');
    if (shown !== 1) throw new Error(`bob sees the message sent while he was away ${shown} times`);
    await say(bob, 'resumed, no pull');
    await sees(alice, 'resumed, no pull');
    console.log('bob resumed his session and got the missed message once');

    // bob goes away again, for longer than the grace period (the test moves the gate's clock): the gate forgets
    // his session, so the page's resume gets resumed: false. Its handshake carried his token, so the fresh session
    // is logged in; the page falls back to its pull and shows what alice said meanwhile, once.
    const resumedSession = bob.sessionId;
    await bob.context.setOffline(true);
    await dropServerSide(bob);
    await bob.page.locator('#status', { hasText: 'reconnecting' }).waitFor();
    await say(alice, 'said after your session ended');
    await expireServerSide(bob);
    await bob.context.setOffline(false);
    await bob.page.waitForFunction(() => document.getElementById('status').dataset.sync === 'pulled');
    await sees(bob, 'said after your session ended');
    if (bob.sessionId === resumedSession) throw new Error(`bob is still on session ${resumedSession}`);
    await say(bob, 'pulled after a fresh session');
    await sees(alice, 'pulled after a fresh session');
    const pulled = await count(bob, 'said after your session ended');
    if (pulled !== 1) throw new Error(`bob sees the message sent after his session ended ${pulled} times`);
    const earlier = await count(bob, 'while you were away');
    if (earlier !== 1) throw new Error(`after the pull bob sees the earlier missed message ${earlier} times`);
    console.log('bob got resumed: false, logged in again by his token, and pulled the missed message once');

    if (process.env.CHAT_SCREENSHOT) await alice.page.screenshot({ path: process.env.CHAT_SCREENSHOT });
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
    console.log('E2E OK');
  } finally {
    await alice.context.close();
    await bob.context.close();
  }
}

main().then(() => process.exit(0), (e) => {
  console.error('E2E FAILED: ' + (e && e.stack || e));
  process.exit(1);
});
