import { type CurriculumService, createCurriculumService, DEFAULT_MAX_BYTES } from './service.js';

/**
 * JSON lines over a stream pair (§13.1): one request per line (`\n` or `\r\n`, blank lines ignored), replies
 * written in request order. Resolves on EOF or after a `close` request. An oversized line is skipped up to its
 * newline and answered with `too-large`; invalid UTF-8 with `parse`.
 */
export function serveStdio(
  o: {
    input?: NodeJS.ReadableStream;
    output?: NodeJS.WritableStream;
    maxBytes?: number;
    service?: CurriculumService;
  } = {},
): Promise<void> {
  const input = o.input ?? process.stdin;
  const output = o.output ?? process.stdout;
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  const service = o.service ?? createCurriculumService({ maxBytes });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let parts: Buffer[] = [];
  let size = 0;
  let overflow = false;
  let lineNo = 0;
  let done = false;

  return new Promise<void>((resolve) => {
    const finish = (): void => {
      if (done) return;
      done = true;
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      if ('pause' in input) input.pause();
      resolve();
    };
    const reply = (s: string): void => {
      output.write(`${s}\n`);
    };
    const handleLine = (bytes: Buffer): void => {
      lineNo++;
      const where = `request line ${lineNo}`;
      if (overflow) {
        overflow = false;
        reply(service.tooLarge(null, where));
        return;
      }
      let end = bytes.length;
      if (end > 0 && bytes[end - 1] === 0x0d) end--;
      let text: string;
      try {
        text = decoder.decode(bytes.subarray(0, end));
      } catch {
        reply(service.badEncoding(where));
        return;
      }
      if (text.trim() === '') {
        lineNo--;
        return;
      }
      reply(service.handle(text, where));
      if (service.closed) finish();
    };
    const onData = (chunk: Buffer | string): void => {
      let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      while (!done && buf.length > 0) {
        const nl = buf.indexOf(0x0a);
        const piece = nl < 0 ? buf : buf.subarray(0, nl);
        if (!overflow) {
          if (size + piece.length > maxBytes) {
            overflow = true;
            parts = [];
            size = 0;
          } else {
            parts.push(piece);
            size += piece.length;
          }
        }
        if (nl < 0) break;
        const line = Buffer.concat(parts);
        parts = [];
        size = 0;
        handleLine(line);
        buf = buf.subarray(nl + 1);
      }
    };
    const onEnd = (): void => {
      if (!done && (size > 0 || overflow)) handleLine(Buffer.concat(parts));
      finish();
    };
    input.on('data', onData);
    input.on('end', onEnd);
  });
}
