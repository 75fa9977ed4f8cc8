// Layer 8 (cli): docs/commands.md generated from the registry, so `help` and the docs share one source.
// `npm run docs` writes it; a test fails when the committed file is stale.
import { commandHelpText } from '../commands/help-text.js';
import { categoryTitles, commands } from '../commands/registry.js';

export function commandsMarkdown(): string {
  const out: string[] = [
    '# gcsh commands',
    '',
    '<!-- Generated from src/commands/registry.ts by `npm run docs`; do not edit by hand. -->',
    '',
    'References: `@12345` (V8 heap object id), `0x7f3a2c1d5e80` (Python `id()`), a bare decimal id, or `$N`',
    '(row N of the previous result). List commands show 20 rows unless `--limit N`; `more` continues.',
    'With `--json`, each command prints one JSON object per line (see [batch.md](batch.md)).',
    '',
  ];
  for (const [category, title] of Object.entries(categoryTitles)) {
    const members = commands.filter((spec) => spec.category === category);
    if (members.length === 0) continue;
    out.push(`## ${title}`, '');
    for (const spec of members) out.push(`- [\`${spec.name}\`](#${spec.name}) — ${spec.summary}`);
    out.push('');
  }
  for (const spec of commands) {
    out.push(`### ${spec.name}`, '', '```text', commandHelpText(spec), '```', '');
  }
  return out.join('\n');
}
