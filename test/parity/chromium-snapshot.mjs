// Parity tooling: take a heap snapshot of a real page in headless Chromium (Debian's `chromium`) over the DevTools
// protocol on a pipe (--remote-debugging-pipe: NUL-separated JSON on fds 3/4, so no WebSocket client is needed).
//   node test/parity/chromium-snapshot.mjs [--heavy] OUT.heapsnapshot
// The page has an attached DOM tree, detached subtrees held from JS (arrays, closures, a WeakMap keyed by elements,
// an event listener), a same-origin iframe (a second document and native context) and ordinary JS objects, so the
// snapshot exercises DevTools' page-ownership, detachedness and DOM naming rules.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const parityPage = `<!doctype html>
<html><head><title>gcsh parity page</title></head>
<body>
<main id="app"><h1 class="title">Parity</h1><ul id="list"></ul><p>text <b>bold</b> <i>italic</i></p><canvas width="64" height="64"></canvas></main>
<iframe id="frame" srcdoc="<div id='inner'><span>in frame</span></div><script>window.frameData = {items: Array.from({length: 50}, (_, i) => ({i}))};</script>"></iframe>
<script>
  class Widget { constructor(el) { this.el = el; this.state = { clicks: 0 }; } }
  const list = document.getElementById('list');
  const widgets = [];
  for (let i = 0; i < 40; i++) { const li = document.createElement('li'); li.textContent = 'item ' + i; li.dataset.index = String(i); list.appendChild(li); widgets.push(new Widget(li)); }
  // Detached subtrees kept alive from JS in different ways.
  window.detachedArray = [];
  for (let i = 0; i < 10; i++) { const d = document.createElement('div'); d.className = 'detached-' + i; d.innerHTML = '<span>a</span><span>b</span><table><tr><td>c</td></tr></table>'; window.detachedArray.push(d); }
  const removed = document.createElement('section'); document.body.appendChild(removed); removed.innerHTML = '<article><p>was attached</p></article>'; removed.remove();
  window.keepRemovedChild = removed.querySelector('p');
  const heldByClosure = document.createElement('form'); heldByClosure.innerHTML = '<input name=a><select><option>1</option></select>';
  window.closureHolder = () => heldByClosure;
  const byElement = new WeakMap(); byElement.set(list.firstChild, { note: 'attached key' }); byElement.set(window.detachedArray[0], { note: 'detached key' });
  window.byElement = byElement;
  document.getElementById('app').addEventListener('click', () => widgets.length);
  window.widgets = widgets;
  window.plain = Array.from({ length: 200 }, (_, i) => (i % 2 ? { x: i, y: i } : { name: 'n' + i, value: i, tags: ['t'] }));
  window.someText = 'parity'.repeat(100);
</script>
</body></html>`;

/**
 * A larger page (about 110k heap nodes): 1,500 rows with listeners, custom elements with shadow roots and slots, 300
 * detached tables, a removed iframe's document, a MutationObserver, Ranges, a canvas context, a DocumentFragment and a
 * Map keyed by elements.
 */
export const heavyPage = `<!doctype html><html><body><div id=root></div><script>
class FancyCard extends HTMLElement { constructor() { super(); const s = this.attachShadow({ mode: 'open' }); s.innerHTML = '<style>:host{display:block}</style><slot></slot><span part=x>card</span>'; this.model = { title: 'card', items: [1,2,3] }; } }
customElements.define('fancy-card', FancyCard);
const root = document.getElementById('root');
for (let i = 0; i < 1500; i++) { const c = document.createElement(i % 3 ? 'div' : 'fancy-card'); c.className = 'c' + (i % 17); c.textContent = 'row ' + i; c.addEventListener('click', () => i); root.appendChild(c); }
window.detached = [];
for (let i = 0; i < 300; i++) { const t = document.createElement('table'); t.innerHTML = '<tr><td>a</td><td><fancy-card>x</fancy-card></td></tr>'; window.detached.push(t); }
const frame = document.createElement('iframe'); document.body.appendChild(frame); frame.contentDocument.body.innerHTML = '<p>frame</p>'; window.frameDoc = frame.contentDocument; frame.remove();
const observer = new MutationObserver(() => {}); observer.observe(root, { childList: true }); window.observer = observer;
window.ranges = Array.from({ length: 20 }, () => { const r = document.createRange(); r.selectNodeContents(root.children[5]); return r; });
window.canvasCtx = document.createElement('canvas').getContext('2d');
window.fragments = [document.createDocumentFragment()]; window.fragments[0].append(...Array.from({length: 50}, () => document.createElement('li')));
window.cache = new Map(Array.from(root.children).slice(0, 200).map((el, i) => [el, { i, html: el.outerHTML }]));
</script></body></html>`;

class CdpPipe {
  constructor(child) {
    this.child = child;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Set();
    this.buffer = '';
    child.stdio[4].setEncoding('utf8');
    child.stdio[4].on('data', (text) => {
      this.buffer += text;
      let end;
      while ((end = this.buffer.indexOf('\0')) !== -1) {
        const message = JSON.parse(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end + 1);
        if (message.id !== undefined && this.pending.has(message.id)) {
          const { resolve, reject } = this.pending.get(message.id);
          this.pending.delete(message.id);
          if (message.error) reject(new Error(`${message.error.message} (${message.error.code})`));
          else resolve(message.result);
        } else for (const listener of this.listeners) listener(message);
      }
    });
  }
  send(method, params = {}, sessionId) {
    const id = this.nextId++;
    const message = { id, method, params, ...(sessionId ? { sessionId } : {}) };
    this.child.stdio[3].write(JSON.stringify(message) + '\0');
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }
  waitFor(predicate, timeoutMs = 60_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error('timed out waiting for a CDP event'));
      }, timeoutMs);
      const listener = (message) => {
        if (!predicate(message)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(message);
      };
      this.listeners.add(listener);
    });
  }
}

/**
 * Wait for the browser (asked to close) to exit, then end its whole process group — renderer, GPU and zygote helpers
 * started with it — so none keeps writing into the temporary profile.
 */
async function stopBrowser(child, exited) {
  if (child.exitCode === null && child.signalCode === null) {
    const timer = setTimeout(() => child.kill('SIGTERM'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {}
}

/** Load `html` in headless Chromium, collect garbage and write its heap snapshot to `outPath`. */
export async function writeChromiumSnapshot(outPath, { html = parityPage, chromium = 'chromium' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gcsh-chromium-'));
  const pagePath = join(dir, 'page.html');
  writeFileSync(pagePath, html);
  const child = spawn(
    chromium,
    ['--headless=new', '--remote-debugging-pipe', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions',
      '--disable-dev-shm-usage', `--user-data-dir=${join(dir, 'profile')}`, 'about:blank'],
    // Its own process group (detached), so stopBrowser can end the helpers too.
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: true },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // A write to a browser that already exited must not crash the caller.
  child.stdio[3].on('error', () => {});
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const cdp = new CdpPipe(child);
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const page = targetInfos.find((t) => t.type === 'page');
    if (!page) throw new Error('no page target');
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: page.targetId, flatten: true });
    await cdp.send('Page.enable', {}, sessionId);
    const loaded = cdp.waitFor((m) => m.method === 'Page.loadEventFired' && m.sessionId === sessionId);
    await cdp.send('Page.navigate', { url: pathToFileURL(pagePath).href }, sessionId);
    await loaded;
    await cdp.send('HeapProfiler.enable', {}, sessionId);
    await cdp.send('HeapProfiler.collectGarbage', {}, sessionId);
    const out = createWriteStream(outPath);
    const onChunk = (m) => {
      if (m.method === 'HeapProfiler.addHeapSnapshotChunk' && m.sessionId === sessionId) out.write(m.params.chunk);
    };
    cdp.listeners.add(onChunk);
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false }, sessionId);
    cdp.listeners.delete(onChunk);
    await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  } catch (error) {
    throw new Error(`${error.message}\n${stderr.slice(-2000)}`);
  } finally {
    // Browser.close may go unanswered when the browser exits first.
    await Promise.race([cdp.send('Browser.close').catch(() => {}), exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
    await stopBrowser(child, exited);
    // Helper processes may still be closing files in the profile for a moment; a leftover temp folder is no failure.
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
    } catch {}
  }
  return outPath;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const heavy = process.argv.includes('--heavy');
  const out = process.argv.slice(2).find((a) => a !== '--heavy');
  if (!out) {
    console.error('usage: node test/parity/chromium-snapshot.mjs [--heavy] OUT.heapsnapshot');
    process.exit(2);
  }
  const started = performance.now();
  await writeChromiumSnapshot(out, heavy ? { html: heavyPage } : {});
  console.log(`${out} written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
