import type { ReactiveController, ReactiveControllerHost } from 'lit';

const hosts = new Set<ReactiveControllerHost>();
let timer: ReturnType<typeof setInterval> | undefined;
let ticks = 0;

/** How often relative times ("5 minutes ago") are redrawn. */
const TICK_MS = 15_000;

/**
 * Re-renders its host on one timer shared by every element on the page, so a
 * queue of fifty cards costs one interval, and none while nothing is shown.
 */
export class TickController implements ReactiveController {
  constructor(private readonly _host: ReactiveControllerHost) {
    _host.addController(this);
  }

  /** Counts the shared timer's ticks: lets a host skip re-rendering what only changes per tick. */
  get tick(): number {
    return ticks;
  }

  hostConnected(): void {
    hosts.add(this._host);
    timer ??= setInterval(() => {
      ticks += 1;
      hosts.forEach((host) => host.requestUpdate());
    }, TICK_MS);
  }

  hostDisconnected(): void {
    hosts.delete(this._host);
    if (hosts.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  }
}
