import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitKeySequences } from './paced-stdin.js';

test('escape sequences become pieces of their own; text between them stays together', () => {
  assert.deepEqual(splitKeySequences('ab\u001b[D\u001b[Dxy'), { pieces: ['ab', '\u001b[D', '\u001b[D', 'xy'], rest: '' });
  assert.deepEqual(splitKeySequences('summary\r'), { pieces: ['summary\r'], rest: '' }, 'text with Enter is one piece (the shell replays it)');
  assert.deepEqual(splitKeySequences('\u001b[1;5C\u001bOA\u001bb'), { pieces: ['\u001b[1;5C', '\u001bOA', '\u001bb'], rest: '' });
  assert.deepEqual(splitKeySequences('\u001b\u001b[A'), { pieces: ['\u001b\u001b[A'], rest: '' }, 'Alt+Up');
});

test('an escape sequence cut off at the end of a read waits for the rest', () => {
  assert.deepEqual(splitKeySequences('x\u001b'), { pieces: ['x'], rest: '\u001b' });
  assert.deepEqual(splitKeySequences('\u001b[1;'), { pieces: [], rest: '\u001b[1;' });
  assert.deepEqual(splitKeySequences('\u001b[1;' + '5D'), { pieces: ['\u001b[1;5D'], rest: '' });
});
