// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by package, so that a
// slow service shows where its CPU goes without opening a profiler UI.
//   node bench/dist/profile-summary.js bench-results/profiles/gateway/CPU.….cpuprofile [top]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  milliseconds: number;
  share: number;
}

/** The package a script belongs to: the node_modules package, a workspace folder, or node's own. */
export function packageOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  if (url.startsWith('node:')) return 'node (internal)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(
    url.replace(/^.*\/node_modules\//, (all) => all.slice(all.lastIndexOf('/node_modules/'))),
  );
  if (modules) return modules[1]!;
  const workspace = /\/(subgraphs\/[^/]+|gateway|shared|prisma|bench)\//.exec(url);
  return workspace ? workspace[1]! : url;
}

export function selfTimes(profile: CpuProfile, key: (node: ProfileNode) => string): SelfTime[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    const node = byNode.get(id);
    if (!node) return;
    total += micros;
    const name = key(node);
    totals.set(name, (totals.get(name) ?? 0) + micros);
  });
  return [...totals]
    .map(([name, micros]) => ({ name, milliseconds: micros / 1000, share: total ? micros / total : 0 }))
    .sort((a, b) => b.milliseconds - a.milliseconds);
}

function main(): void {
  const [file, topText] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
  const top = Number(topText ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const print = (title: string, rows: SelfTime[]) => {
    process.stdout.write(`\n${title}\n`);
    for (const row of rows.slice(0, top))
      process.stdout.write(`${(row.share * 100).toFixed(1).padStart(5)} %  ${row.milliseconds.toFixed(0).padStart(7)} ms  ${row.name}\n`);
  };
  const idle = (node: ProfileNode) => ['(idle)', '(program)', '(garbage collector)'].includes(node.callFrame.functionName);
  print(
    'self time by package',
    selfTimes(profile, (node) => (idle(node) ? node.callFrame.functionName : packageOf(node.callFrame.url))),
  );
  print(
    'self time by function',
    selfTimes(
      profile,
      (node) =>
        `${node.callFrame.functionName || '(anonymous)'}  ${node.callFrame.url.replace(/^.*\/node_modules\//, '')}:${node.callFrame.lineNumber + 1}`,
    ),
  );
}

if (require.main === module) main();
