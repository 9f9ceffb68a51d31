/**
 * Lower-cases a German name and spells umlauts and ß the way they are typed without them
 * (ä→ae, ö→oe, ü→ue, ß→ss) and drops other accents, so "Lueneburg", "lüneburg" and "LÜNEBURG"
 * all find Lüneburg.
 */
export function foldGermanText(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
