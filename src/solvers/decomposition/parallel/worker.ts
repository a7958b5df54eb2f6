// A team's thread (team.ts): keeps the structure it was given and runs tasks on it (kernels.ts).
// Messages: { type: 'attach', structure } → { type: 'ok' }; { type: 'task', task } → { type: 'done', result };
// { type: 'detach' } (lets go of the structure) → no answer;
// any failure → { type: 'failed', message }.
import { parentPort } from 'node:worker_threads';
import type { Structure } from '../core/structure.js';
import { runTask, type Task } from './kernels.js';
import { structureFrom, type SharedStructure } from './shared.js';

let s: Structure | null = null;

type Message = { type: 'attach'; structure: SharedStructure } | { type: 'detach' } | { type: 'task'; task: Task };

parentPort!.on('message', (msg: Message) => {
  try {
    if (msg.type === 'attach') {
      s = structureFrom(msg.structure);
      parentPort!.postMessage({ type: 'ok' });
    } else if (msg.type === 'detach') s = null;
    else parentPort!.postMessage({ type: 'done', result: runTask(s, msg.task) });
  } catch (e) {
    parentPort!.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  }
});
