import type { DocumentStore } from '@apollo/server';
import type { DocumentNode } from 'graphql';

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
 */
export class BoundedDocumentStore implements DocumentStore {
  private readonly documents = new Map<string, { document: DocumentNode; bytes: number }>();
  private heldBytes = 0;

  constructor(readonly maxBytes = DOCUMENT_STORE_MAX_JSON_BYTES) {}

  /** JSON bytes of the documents kept. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Documents kept. */
  get size(): number {
    return this.documents.size;
  }

  async get(key: string): Promise<DocumentNode | undefined> {
    const entry = this.documents.get(key);
    if (!entry) return undefined;
    // Map order is the eviction order: a document read is moved to the end.
    this.documents.delete(key);
    this.documents.set(key, entry);
    return entry.document;
  }

  async set(key: string, document: DocumentNode): Promise<void> {
    await this.delete(key);
    const bytes = documentJsonBytes(document);
    if (bytes > this.maxBytes) return;
    for (const [oldest, entry] of this.documents) {
      if (this.heldBytes + bytes <= this.maxBytes) break;
      this.documents.delete(oldest);
      this.heldBytes -= entry.bytes;
    }
    this.documents.set(key, { document, bytes });
    this.heldBytes += bytes;
  }

  async delete(key: string): Promise<boolean> {
    const entry = this.documents.get(key);
    if (!entry) return false;
    this.documents.delete(key);
    this.heldBytes -= entry.bytes;
    return true;
  }
}
