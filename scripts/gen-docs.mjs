// Writes docs/commands.md from the command registry (compiled dist/). Run through `npm run docs`.
import { writeFileSync } from 'node:fs';
const { commandsMarkdown } = await import('../dist/cli/commands-doc.js');
writeFileSync(new URL('../docs/commands.md', import.meta.url), commandsMarkdown());
console.log('wrote docs/commands.md');
