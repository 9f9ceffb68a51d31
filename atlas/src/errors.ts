/**
 * The text the Atlas shows for a request that failed: each distinct message once. A field that
 * fails for every region of the map (an unknown indicator in a link) reports one error per region.
 */
export function errorText(errors: readonly { message: string }[] | undefined): string {
  if (!errors?.length) return 'Keine Antwort';
  return [...new Set(errors.map((error) => error.message))].join(' ');
}
