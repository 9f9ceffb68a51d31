import { ErrorCode, userError } from './errors';

/**
 * Opaque page cursors: the list's kind and a position (a key or an offset), base64url-encoded, so
 * that a client passes them back as they are and a cursor of one list is refused by another.
 */
export function encodeCursor(kind: string, position: string | number): string {
  return Buffer.from(`${kind}:${position}`).toString('base64url');
}

/**
 * The position inside a cursor of `kind`; BAD_USER_INPUT (argument `after`) when the cursor is
 * not one of this list or its position fails `isPosition`.
 */
export function decodeCursor(
  kind: string,
  cursor: string,
  isPosition: (position: string) => boolean = (position) => position !== '',
): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const position = decoded.startsWith(`${kind}:`) ? decoded.slice(kind.length + 1) : null;
  if (position === null || !isPosition(position))
    throw userError('after is not a cursor of this list.', ErrorCode.BadUserInput, { argument: 'after' });
  return position;
}
