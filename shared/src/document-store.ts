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

/** The measure Apollo's own store uses: the document's JSON in bytes. */
export function documentJsonBytes(document: DocumentNode): number {
  return Buffer.byteLength(JSON.stringify(document), 'utf8');
}

/**
 * Apollo Server's cache of parsed and validated operations, bounded by the JSON bytes it holds: the
 * least recently used documents give way, and a document larger than the whole bound is not kept.
 * Apollo's own default store (InMemoryLRUCache) is this lru-cache with the same measure and 30 MiB;
 * it is not used with a smaller bound only because it does not tell how much it holds.
 */
export class BoundedDocumentStore implements DocumentStore {
  private readonly documents: LRUCache<string, DocumentNode>;

  constructor(readonly maxBytes = DOCUMENT_STORE_MAX_JSON_BYTES) {
    this.documents = new LRUCache({ maxSize: maxBytes, sizeCalculation: documentJsonBytes });
  }

  /** JSON bytes of the documents kept. */
  get bytes(): number {
    return this.documents.calculatedSize;
  }

  /** Documents kept. */
  get size(): number {
    return this.documents.size;
  }

  async get(key: string): Promise<DocumentNode | undefined> {
    return this.documents.get(key);
  }

  async set(key: string, document: DocumentNode): Promise<void> {
    this.documents.set(key, document);
  }

  async delete(key: string): Promise<boolean> {
    return this.documents.delete(key);
  }
}
