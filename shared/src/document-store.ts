import type { DocumentStore } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * JSON bytes of parsed operations one Apollo Server keeps (Apollo's default is 30 MiB). Apollo sizes
 * a document by its JSON, but in the heap one weighs about four times that: its locations keep the
 * whole token list alive, and every node is an object of its own. With the default, anonymous callers
 * sending some hundreds of distinct operations near the token limit (cheap ones: indicator by code,
 * 30 aliases) left 110 MB more heap after a full collection in the indicators subgraph and about as
 * much in the gateway, for good. A parse that misses costs about a
 * millisecond; the few operations a client really sends stay well inside this.
 */
export const DOCUMENT_STORE_MAX_JSON_BYTES = 8 * 1024 * 1024;

/** The measure Apollo's own stores use: the value's JSON in bytes. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** The measure Apollo's own document store uses: the document's JSON in bytes. */
export function documentJsonBytes(document: DocumentNode): number {
  return jsonBytes(document);
}

/**
 * A cache of Apollo's (parsed operations, query plans) bounded by the JSON bytes it holds: the least
 * recently used values give way, and a value larger than the whole bound is not kept. Apollo's own
 * default stores (InMemoryLRUCache) are this lru-cache with the same measure and 30 MiB; they are not
 * used with a smaller bound only because they do not tell how much they hold.
 */
export class BoundedJsonStore<V extends object> {
  private readonly values: LRUCache<string, V>;

  constructor(readonly maxBytes: number) {
    this.values = new LRUCache<string, V>({ maxSize: maxBytes, sizeCalculation: jsonBytes });
  }

  /** JSON bytes of the values kept. */
  get bytes(): number {
    return this.values.calculatedSize;
  }

  /** Values kept. */
  get size(): number {
    return this.values.size;
  }

  async get(key: string): Promise<V | undefined> {
    return this.values.get(key);
  }

  async set(key: string, value: V): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<boolean> {
    return this.values.delete(key);
  }

  /** Apollo Gateway empties its plan store when the supergraph changes. */
  clear(): void {
    this.values.clear();
  }
}

/** Apollo Server's cache of parsed and validated operations, at most {@link DOCUMENT_STORE_MAX_JSON_BYTES} by default. */
export class BoundedDocumentStore extends BoundedJsonStore<DocumentNode> implements DocumentStore {
  constructor(maxBytes = DOCUMENT_STORE_MAX_JSON_BYTES) {
    super(maxBytes);
  }
}
