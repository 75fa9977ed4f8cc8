// Bench helper (not product code): describes the machine a bench ran on (CPU, cores, RAM, Node, load).
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** {cpu, cores, ramBytes, node, os, loadAvg} for the report header. */
export function machineInfo() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) cpu = line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // not Linux: os.cpus() model is good enough
  }
  return {
    cpu,
    cores: os.availableParallelism(),
    ramBytes: os.totalmem(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAvg: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}
