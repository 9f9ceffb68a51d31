/**
 * Text for Prisma's `contains`, `startsWith`, `endsWith` and case-insensitive `equals`, which Prisma
 * runs on PostgreSQL as LIKE or ILIKE without escaping the text (prisma/prisma#19506): a caller's `%`
 * or `_` would be a wildcard there, so a search for "_" found every region. Escaped with PostgreSQL's
 * default LIKE escape, the backslash, each character matches only itself.
 */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}
