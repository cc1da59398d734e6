/**
 * The heartbeats of one running task: SendTaskHeartbeat every `intervalMs` while the handler runs, and on demand
 * (`context.heartbeat()`). A heartbeat answered TaskTimedOut (or TaskDoesNotExist / InvalidToken: the token is
 * dead either way) means nobody waits for the result any more: `onGone` aborts the handler's signal and the
 * heartbeats stop. Other errors (network, throttling) are logged and the next heartbeat tries again.
 */
import { SendTaskHeartbeatCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { WorkerLogger } from './worker-options.js';

/** The API error codes that say the token will never be accepted again. */
export const GONE_CODES: ReadonlySet<string> = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export function errorCode(e: unknown): string {
  return e instanceof Error ? e.name : typeof e;
}

export class Heartbeats {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Set once a heartbeat was answered with one of GONE_CODES. */
  gone: Error | undefined;

  constructor(
    private readonly client: SFNClient,
    private readonly taskToken: string,
    private readonly intervalMs: number,
    private readonly onGone: (error: Error) => void,
    private readonly logger: WorkerLogger,
    private readonly tokenId: string,
  ) {}

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Sends one heartbeat now and restarts the interval. Rejects with the SDK's error. */
  async now(): Promise<void> {
    if (this.gone) throw this.gone;
    clearTimeout(this.timer);
    try {
      await this.client.send(new SendTaskHeartbeatCommand({ taskToken: this.taskToken }));
    } catch (e) {
      if (!this.stopped && GONE_CODES.has(errorCode(e))) {
        this.gone = e as Error;
        this.stop();
        this.onGone(this.gone);
      }
      throw e;
    } finally {
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.stopped || this.intervalMs === 0) return;
    // Clearing first keeps one timer even when an automatic and a manual heartbeat overlap.
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.now().catch((e: unknown) => {
        if (this.gone || this.stopped) return;
        this.logger.warn(`heartbeat failed (${errorCode(e)}: ${(e as Error)?.message}); trying again in ${this.intervalMs} ms`, { task: this.tokenId });
      });
    }, this.intervalMs);
  }
}
