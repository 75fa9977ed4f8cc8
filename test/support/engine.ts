// Test support: drive the real command engine in-process and get SPEC §5 JSON records back.
import assert from 'node:assert/strict';
import { Engine } from '../../src/commands/engine.js';
import { Session } from '../../src/commands/session.js';
import { outcomeJson } from '../../src/render/json.js';
import { renderOutcomeText } from '../../src/render/text.js';

export interface TestShell {
  readonly engine: Engine;
  /** Run one command; fail the test if it fails. Returns its JSON record. */
  json(command: string): Promise<Record<string, any>>;
  /** Run one command and return its JSON record whatever happened. */
  attempt(command: string): Promise<Record<string, any>>;
  /** Run one command and return its plain text. */
  text(command: string): Promise<string>;
}

export function testShell(options: { useIndex?: boolean; cacheDir?: string } = {}): TestShell {
  const engine = new Engine(new Session({ useIndex: options.useIndex ?? false, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) }));
  return {
    engine,
    async json(command) {
      const record = outcomeJson(await engine.run(command));
      assert.equal(record.ok, true, `${command} failed: ${String(record.error)}`);
      return record;
    },
    async attempt(command) {
      return outcomeJson(await engine.run(command));
    },
    async text(command) {
      return renderOutcomeText(await engine.run(command), { width: 120, color: false });
    },
  };
}
