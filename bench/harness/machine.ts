// A description of the machine and software a benchmark run happened on,
// for bench/results.json and the report header.

import { cpus, loadavg, totalmem, platform, arch, release } from 'node:os';
import ts = require('typescript');

export interface MachineInfo {
  node: string;
  v8: string;
  typescript: string;
  os: string;
  cpu: string;
  cores: number;
  memoryGB: number;
  loadAverageAtStart: number[];
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    typescript: ts.version,
    os: `${platform()} ${release()} ${arch()}`,
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    loadAverageAtStart: loadavg().map((v) => Math.round(v * 100) / 100),
  };
}
