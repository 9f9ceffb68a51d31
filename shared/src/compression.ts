// Answers leave the gateway compressed when the caller says it takes a compressed body: JSON and CSV
// shrink to a tenth or less, which is what a phone on a slow network waits for (the municipality map is
// 648 KB as JSON). Callers that say nothing (curl without --compressed, load generators, the subgraph
// calls inside the gateway) get the bytes as before.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** The content codings the gateway writes (RFC 9110, 8.4.1), brotli first where a caller takes both. */
export type ContentCoding = 'br' | 'gzip';

export interface CompressionOptions {
  /** Bodies smaller than this are sent as they are: a compressed frame and its header cost more than they save. */
  minBytes: number;
  /** What compresses an answer; tests count its calls. @default compress */
  compress?: (body: Uint8Array, coding: ContentCoding, effort: CompressionEffort) => Promise<Uint8Array>;
}

/**
 * How hard to work: an `answer` is compressed once per request, a cached one once per coding (http.ts's
 * keepCodedAnswer) (brotli quality 4 and gzip level 6 cost about as much CPU as each other, a few ms for
 * 100 KB); a `static` file once per process, on its first request in the coding: brotli 11, the
 * smallest. For the Atlas's files (330 KB) quality 11 took 474 ms of CPU against 11.5 ms at 6, and
 * made 80.6 KB against 88.2 KB: 7.6 KB less for every visitor (150 ms on a 400 kbit/s line), for half
 * a second of one libuv thread per process (the first browser to ask a replica for the script waits
 * for it once). gzip 9 is its smallest already.
 */
export type CompressionEffort = 'answer' | 'static';

const BROTLI_QUALITY: Record<CompressionEffort, number> = { answer: 4, static: 11 };
const GZIP_LEVEL: Record<CompressionEffort, number> = { answer: 6, static: 9 };

const brotliCompress = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * The coding to answer in, from the request's Accept-Encoding (RFC 9110, 12.5.3): the accepted one with
 * the highest weight, brotli on a tie; `*` stands for any coding not named; `q=0` refuses one. Null when
 * the caller takes neither (or sent no header), and the body goes as it is.
 */
export function preferredCoding(acceptEncoding: string | string[] | undefined): ContentCoding | null {
  if (acceptEncoding === undefined) return null;
  const weights = new Map<string, number>();
  for (const entry of (Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding).split(',')) {
    const [name = '', ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    if (name === '') continue;
    const q = parameters.find((parameter) => /^q\s*=/.test(parameter));
    const weight = q === undefined ? 1 : Number(q.slice(q.indexOf('=') + 1).trim());
    // A weight that is no number (q=abc) is read as a refusal rather than guessed.
    weights.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (coding: ContentCoding) => weights.get(coding) ?? weights.get('*') ?? 0;
  const [first, second] = (['br', 'gzip'] as const).map((coding) => ({ coding, weight: weightOf(coding) }));
  const best = second!.weight > first!.weight ? second! : first!;
  return best.weight > 0 ? best.coding : null;
}

/** The coding a body of `bytes` goes out in to this caller: null when compression is off, the body small or not accepted. */
export function codingFor(request: IncomingMessage, bytes: number, compression: CompressionOptions | null): ContentCoding | null {
  return compression !== null && bytes >= compression.minBytes ? preferredCoding(request.headers['accept-encoding']) : null;
}

/** The body in the coding. */
export function compress(body: Uint8Array, coding: ContentCoding, effort: CompressionEffort): Promise<Buffer> {
  if (coding === 'gzip') return gzip(body, { level: GZIP_LEVEL[effort] });
  return brotliCompress(body, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY[effort],
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
      // Text: JSON, CSV, the Atlas's script and style.
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    },
  });
}

/** A Vary header with `accept-encoding` added once to what it named already. */
export function varyOnEncoding(vary: string | undefined): string {
  if (!vary) return 'accept-encoding';
  const named = vary.split(',').map((name) => name.trim().toLowerCase());
  return named.includes('accept-encoding') || named.includes('*') ? vary : `${vary}, accept-encoding`;
}

/**
 * The entity tag of a coded representation: a cache holding the brotli body must not be told that the
 * identity body's tag matches it (RFC 9110, 8.8.3: representations differ, so do their strong tags).
 */
export function entityTagOfCoding(etag: string, coding: ContentCoding | null): string {
  return coding === null ? etag : etag.replace(/"$/, `-${coding}"`);
}

/**
 * A whole body as the caller takes it, the headers to send with it (content-encoding, content-length,
 * Vary) merged into `headers`. `compression` null: as it is, nothing added. `encoded` gives a coded
 * body kept from before (a static file), instead of compressing again.
 */
export async function representation(
  request: IncomingMessage,
  body: Uint8Array,
  headers: Record<string, string>,
  compression: CompressionOptions | null,
  encoded: (coding: ContentCoding) => Promise<Uint8Array> = (coding) => compress(body, coding, 'answer'),
): Promise<{ body: Uint8Array; headers: Record<string, string> }> {
  if (compression === null) return { body, headers: { ...headers, 'content-length': String(body.byteLength) } };
  const vary = varyOnEncoding(headers.vary);
  const coding = codingFor(request, body.byteLength, compression);
  if (coding === null) return { body, headers: { ...headers, vary, 'content-length': String(body.byteLength) } };
  const coded = await encoded(coding);
  return { body: coded, headers: { ...headers, vary, 'content-encoding': coding, 'content-length': String(coded.byteLength) } };
}

/** Writes a whole body with its status, compressed as `representation` decides. */
export async function sendRepresentation(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Uint8Array | string,
  compression: CompressionOptions | null,
): Promise<void> {
  const sent = await representation(request, typeof body === 'string' ? Buffer.from(body) : body, headers, compression);
  response.writeHead(status, sent.headers);
  response.end(sent.body);
}
