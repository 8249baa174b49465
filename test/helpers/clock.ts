import type { Clock } from '../../src/time.js';

/** 16:08:03 in London, on a summer day. */
export const MANUAL_CLOCK_START = '2026-06-08T15:08:03.000Z';

/** A clock that moves only when a test moves it. */
export class ManualClock {
  private current: Date;

  constructor(start = MANUAL_CLOCK_START) {
    this.current = new Date(start);
  }

  readonly now: Clock = () => new Date(this.current);

  set(instant: string): void {
    this.current = new Date(instant);
  }

  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}
