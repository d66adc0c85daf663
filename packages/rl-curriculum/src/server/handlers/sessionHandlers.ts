import { checkParams, PROTOCOL, ProtocolError } from '../protocol.js';
import type { Handler } from './context.js';

/** Methods about the session itself: `hello`, `list`, `close`, `snapshot`. */
export const sessionHandlers: ReadonlyArray<readonly [string, Handler]> = [
  [
    'hello',
    {
      mutating: false,
      run: (p, ctx) => {
        checkParams(p, [], []);
        return { protocol: PROTOCOL, package: '@drojs/rl-curriculum', methods: [...ctx.methods] };
      },
    },
  ],
  [
    'list',
    {
      mutating: false,
      run: (p, ctx) => {
        checkParams(p, [], []);
        return {
          controllers: [...ctx.registry.controllers].map(([controller, e]) => ({ controller, kind: e.kind })),
        };
      },
    },
  ],
  [
    'close',
    {
      mutating: false,
      run: (p, ctx) => {
        checkParams(p, [], []);
        ctx.close();
        return {};
      },
    },
  ],
  [
    'snapshot',
    {
      mutating: false,
      run: (p, ctx) => {
        checkParams(p, [], []);
        if (!ctx.onSnapshot)
          throw new ProtocolError('E_SPEC', 'method', 'snapshot needs a server started with --state-file');
        return { path: ctx.onSnapshot() };
      },
    },
  ],
];
