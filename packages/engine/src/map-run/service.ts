/**
 * The Map Runs this process drives. A `mapRun` job (the Map Run started or must stop, or the reconciler found it
 * undriven) pokes it: the driver running here is woken, or one is started if this process can take the lease.
 * Only worker processes handle these jobs, so only they drive Map Runs. `stop()` ends the drivers and releases
 * their leases (graceful shutdown); a process that dies keeps its leases until they expire, then the reconciler's
 * jobs let another worker take over from the committed state.
 */
import { ensureError } from '../logger.js';
import type { Runtime } from '../runtime.js';
import { MapRunDriver, type DriverOptions } from './driver.js';

export class MapRunService {
  private readonly drivers = new Map<string, { driver: MapRunDriver; done: Promise<void> }>();
  private stopped = false;

  constructor(private readonly rt: Runtime, private readonly options: DriverOptions) {}

  poke(mapRunId: string): void {
    if (this.stopped) return;
    const running = this.drivers.get(mapRunId);
    if (running) {
      running.driver.poke();
      return;
    }
    const driver = new MapRunDriver(this.rt, mapRunId, this.options);
    const done = driver.run().catch((e) => {
      this.rt.log.error('map run driver failed; the reconciler will resume it', { mapRunId, error: ensureError(e).message });
    }).finally(() => this.drivers.delete(mapRunId));
    this.drivers.set(mapRunId, { driver, done });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const { driver } of this.drivers.values()) driver.stop();
    await Promise.all([...this.drivers.values()].map((d) => d.done));
  }
}
