import type { ControllerRegistry } from '../registry.js';

/** What a handler may touch besides its params: the controllers and the session it runs in. */
export interface HandlerContext {
  readonly registry: ControllerRegistry;
  /** Every method name of the table, in table order (answered by `hello`). */
  readonly methods: readonly string[];
  /** Ends the session (the `close` method). */
  close(): void;
  /** The `--state-file` hook, when the server has one. */
  readonly onSnapshot: (() => string) | undefined;
}

/** One protocol method: validates `params` completely, then runs (a rejected request changes nothing). */
export interface Handler {
  run(p: Record<string, unknown>, ctx: HandlerContext): unknown;
  /** The method changes controller state (counted for `--state-file` snapshots). */
  readonly mutating: boolean;
}
