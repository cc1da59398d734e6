/**
 * Where the evaluation pool (pool-evaluator.ts) runs steps: a child process (the default) or a worker thread. Both
 * run step-handler.ts and look the same to the pool: messages in and out, the number of the evaluation in progress
 * (a marker the watchdog reads), a way to stop it, and one `ended` event saying why it ended.
 *
 * A process is the default because only a process boundary contains every failure: V8 ends a worker thread that
 * runs out of its heap cleanly in most cases, but some allocations abort the whole process instead
 * (nodejs/node#47224; on Node 24, one array grown past a 64 MB budget does it), and the kernel's OOM killer picks
 * the largest process. A thread costs less (a message is cheaper, and no process per slot) and remains available
 * (BATON_EVALUATION_ISOLATION=thread) for those who accept that risk.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EvaluationBudgets, FailureReason } from './evaluator.js';
import type { HostMessage } from './host-protocol.js';

export type Isolation = 'process' | 'thread';

/** The marker's value until the host begins the step it was sent. */
export const NOT_STARTED = -1;

/** Thrown by `send` to a host that has ended (its `ended` event is coming): the request is for another host. */
export class HostGone extends Error {
  constructor() {
    super('the evaluation host has ended');
  }
}

export interface Ended {
  reason: FailureReason;
  message: string;
  /** The host never started (could not be spawned): nothing any request did. */
  unavailable?: true;
}

/** Emits `message` (a reply) and, once, `ended` (an Ended) when it stops for any reason. */
export interface EvaluationHost extends EventEmitter {
  /** Throws when the message cannot be copied to the host (too deep or too large), HostGone when it has ended. */
  send(message: HostMessage): void;
  readMarker(): number;
  resetMarker(): void;
  /** Ends it at once (the watchdog, over the time budget); `ended` follows. */
  kill(): void;
  /** Keeps this process alive while a request is out. */
  ref(): void;
  unref(): void;
  close(): Promise<void>;
}

export function startHost(isolation: Isolation, budgets: EvaluationBudgets): EvaluationHost {
  return isolation === 'process' ? new ProcessHost(budgets.memoryMb) : new ThreadHost(budgets.memoryMb);
}

/** The compiled host script; from the sources (vitest) the build's copy runs, as Node 20 cannot run TypeScript. */
function hostScript(name: 'step-process' | 'step-thread'): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL(`../../dist/evaluation/${name}.js`, here) : new URL(`./${name}.js`, here);
}

class ThreadHost extends EventEmitter implements EvaluationHost {
  private readonly marker = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;
  private error: Ended | undefined;

  constructor(memoryMb: number) {
    super();
    this.resetMarker();
    this.worker = new Worker(hostScript('step-thread'), {
      workerData: { marker: this.marker.buffer, memoryMb },
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.max(8, Math.min(64, Math.floor(memoryMb / 8))) },
    });
    this.worker.unref();
    this.worker.on('message', (m) => this.emit('message', m));
    this.worker.on('error', (e: Error & { code?: string }) => {
      this.error = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { reason: 'memory', message: e.message } : { reason: 'crash', message: `${e.name}: ${e.message}` };
    });
    this.worker.on('exit', (code) => this.emit('ended', this.error ?? { reason: 'crash', message: `the evaluation thread exited with code ${code}` }));
  }

  send(message: HostMessage): void {
    this.worker.postMessage(message);
  }

  readMarker(): number {
    return Atomics.load(this.marker, 0);
  }

  resetMarker(): void {
    Atomics.store(this.marker, 0, NOT_STARTED);
  }

  kill(): void {
    void this.worker.terminate();
  }

  ref(): void {
    this.worker.ref();
  }

  unref(): void {
    this.worker.unref();
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** What V8 and Node print when a process runs out of memory or is asked for an allocation it cannot make. */
const OUT_OF_MEMORY = /heap limit|heap out of memory|invalid size error|invalid array length|invalid table size|allocation failed/i;

class ProcessHost extends EventEmitter implements EvaluationHost {
  private readonly child: ChildProcess;
  /** The marker file (see step-process.ts), already unlinked: the two descriptors are all that is left of it. */
  private readonly markerFd: number;
  private readonly word = new Int32Array(1);
  private stderr = '';
  /** The process has exited (`exit`): nothing sent now would be read. */
  private gone = false;
  /** And its pipes are closed (`close`): the marker is closed too. */
  private exited = false;

  constructor(memoryMb: number) {
    super();
    const path = join(tmpdir(), `baton-evaluation-${process.pid}-${randomUUID()}`);
    this.markerFd = openSync(path, 'w+', 0o600);
    unlinkSync(path);
    this.resetMarker();
    // The process gets the heap budget and none of this process's own flags (a test runner's loaders, a debugger
    // port). NODE_OPTIONS applies to it as to every Node process (the budget's flag, on the command line, wins).
    try {
      this.child = fork(fileURLToPath(hostScript('step-process')), [String(memoryMb)], {
        execArgv: [`--max-old-space-size=${memoryMb}`],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc', this.markerFd],
      });
    } catch (e) {
      closeSync(this.markerFd);
      throw e;
    }
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-8192);
    });
    this.child.on('message', (m) => this.emit('message', m));
    this.child.on('exit', () => {
      this.gone = true;
    });
    // A process that could not start ends here (there may be no `close`); otherwise a message that could not be
    // written because the process is gone, and `close` follows.
    this.child.on('error', (e) => {
      if (this.child.pid === undefined) this.end({ reason: 'crash', message: `the evaluation process did not start: ${e.message}`, unavailable: true });
    });
    // `close`, not `exit`: V8's last words on stderr have been read by then.
    this.child.on('close', (code, signal) => this.end(this.why(code, signal)));
    this.unref();
  }

  private end(why: Ended): void {
    if (this.exited) return;
    this.gone = true;
    this.emit('ended', why); // its listeners may still read the marker
    this.exited = true;
    closeSync(this.markerFd);
  }

  private why(code: number | null, signal: NodeJS.Signals | null): Ended {
    // V8 prints a banner (`# Fatal error in , line 0`, then `# Fatal JavaScript invalid size error 268435456`) or
    // Node a line (`FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory`).
    const lines = this.stderr.split('\n').map((l) => l.replace(/^#\s*/, '').trim()).filter((l) => l.length > 0);
    const memory = lines.find((l) => OUT_OF_MEMORY.test(l));
    if (memory) return { reason: 'memory', message: memory };
    const fatal = lines.find((l) => /fatal|error/i.test(l));
    const how = signal ? `was ended by ${signal}` : `exited with code ${code}`;
    return { reason: 'crash', message: `the evaluation process ${how}${fatal ? `: ${fatal}` : ''}` };
  }

  send(message: HostMessage): void {
    if (this.gone || !this.child.connected) throw new HostGone();
    this.child.send(message);
  }

  readMarker(): number {
    if (this.exited) return NOT_STARTED;
    readSync(this.markerFd, this.word, 0, 4, 0);
    return this.word[0]!;
  }

  resetMarker(): void {
    if (this.exited) return;
    this.word[0] = NOT_STARTED;
    writeSync(this.markerFd, this.word, 0, 4, 0);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  // The channel and stderr too: until `close`, which needs stderr's end, a request is still out.
  ref(): void {
    this.child.ref();
    this.child.channel?.ref();
    (this.child.stderr as unknown as { ref?: () => void }).ref?.();
  }

  unref(): void {
    this.child.unref();
    this.child.channel?.unref();
    (this.child.stderr as unknown as { unref?: () => void }).unref?.();
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const ended = new Promise<void>((resolve) => this.once('ended', () => resolve()));
    this.ref(); // until it has ended
    this.child.kill('SIGKILL');
    await ended;
  }
}
