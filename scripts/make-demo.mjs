// Regenerates the bundled demo snapshots in demo/ (run: node scripts/make-demo.mjs). Deterministic programs, real
// writers: a Node service that leaks request contexts through an event-listener list (three snapshots of one process,
// so V8 ids stay stable for `growth`), and — when a python3 is available — the seed user's Python scenario written by
// gcsh_agent.py (self-referencing `A`, throw-away ctypes array types, a cache that grows).
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const demo = join(root, 'demo');
mkdirSync(demo, { recursive: true });

async function gzipInPlace(file) {
  await pipeline(createReadStream(file), createGzip({ level: 9 }), createWriteStream(`${file}.gz`));
  rmSync(file);
}

const nodeProgram = `
const v8 = require('v8');
class RequestContext {
  constructor(id) { this.id = id; this.headers = { 'user-agent': 'demo/' + id, accept: '*/*' }; this.body = 'x'.repeat(2000 + (id % 7)); }
}
class EventBus { constructor() { this.listeners = []; } on(fn) { this.listeners.push(fn); } }
class SessionCache { constructor() { this.entries = new Map(); } }
const bus = new EventBus();
const cache = new SessionCache();
globalThis.app = { bus, cache, name: 'demo-service' };
let next = 0;
function handleRequest() {
  const ctx = new RequestContext(next++);
  // The leak: every request subscribes a closure that captures its context and never unsubscribes.
  bus.on(function onConfigChange() { return ctx.headers; });
  if (ctx.id % 10 === 0) cache.entries.set('session-' + ctx.id, { ctx, created: ctx.id });
}
for (let step = 1; step <= 3; step++) {
  for (let i = 0; i < 400; i++) handleRequest();
  global.gc();
  v8.writeHeapSnapshot(process.argv[1] + '/node-leak-' + step + '.heapsnapshot');
}
`;

for (let step = 1; step <= 3; step++) rmSync(join(demo, `node-leak-${step}.heapsnapshot.gz`), { force: true });
execFileSync(process.execPath, ['--expose-gc', '-e', nodeProgram, demo], { stdio: 'inherit' });
for (let step = 1; step <= 3; step++) await gzipInPlace(join(demo, `node-leak-${step}.heapsnapshot`));

const agent = join(root, 'src', 'agent', 'gcsh_agent.py');
const python = ['python3', 'python'].find((candidate) => {
  try {
    execFileSync(candidate, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
if (python && existsSync(agent)) {
  execFileSync(python, [join(root, 'scripts', 'demo_python_app.py'), agent, demo], { stdio: 'inherit' });
} else {
  console.log('skipped the Python demo (no python3 or no agent yet)');
}
console.log(`demo snapshots written to ${demo}`);
