#!/usr/bin/env node
// gcsh executable shim: check the Node version, honour NO_COLOR, and start the compiled CLI.
const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  process.stderr.write(`gcsh needs Node.js 20 or newer (this is ${process.versions.node}).\n`);
  process.exit(2);
}
if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    process.stderr.write('gcsh is not built yet: run `npm install` (or `npm run build`) in the gcsh folder.\n');
    process.exit(2);
  }
  throw error;
}
try {
  const code = await cli.main(process.argv.slice(2));
  // Exit explicitly (a readline on a stdin that never closes would keep the process alive), but only once stdout and
  // stderr have flushed: a pipe's queued writes are lost by an immediate process.exit().
  process.exitCode = code;
  process.stderr.write('', () => process.stdout.write('', () => process.exit(code)));
} catch (error) {
  process.exitCode = cli.reportFatal(error);
}
