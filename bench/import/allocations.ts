// Where the reading half of an import allocates, per line: V8's sampling heap profiler, counting the objects the
// garbage collector already freed too (short-lived garbage is what makes the reader threads collect often).
// Runs the reader (read, decode, parse, map, pack, compress the original) in this thread, as bench/import/halves.ts
// does, and prints the bytes allocated per line by function, with the two functions that called it.
// Usage: node bench/import/allocations.ts FILE.csv   (a FOCUS file made by run.js; 200,000 lines are enough)
import { Session } from 'node:inspector/promises';
import { readAsFocus } from './read-as-focus.ts';

type ProfileNode = { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: ProfileNode[] };

const file = process.argv[2];
if (!file) throw new Error('usage: node bench/import/allocations.ts FILE.csv');
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
// Options of newer V8 than @types/node describes.
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 4096,
  includeObjectsCollectedByMinorGC: true,
  includeObjectsCollectedByMajorGC: true,
} as { samplingInterval: number });
let lines = 0;
await readAsFocus(file, (batch) => {
  lines += batch.count;
});
const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: ProfileNode } };
const bytesBy = new Map<string, number>();
let total = 0;
const walk = (node: ProfileNode, callers: string[]): void => {
  const name = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}`;
  if (node.selfSize) {
    const key = `${name}  <- ${callers.slice(-2).join(' <- ')}`;
    bytesBy.set(key, (bytesBy.get(key) ?? 0) + node.selfSize);
    total += node.selfSize;
  }
  for (const child of node.children) walk(child, [...callers, name.split(' ')[0]!]);
};
walk(profile.head, []);
console.log(`${lines} lines; ${(total / lines).toFixed(0)} bytes allocated per line (sampled)`);
for (const [where, bytes] of [...bytesBy].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((bytes / lines).toFixed(0).padStart(6), where);
