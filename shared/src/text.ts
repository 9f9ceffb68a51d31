/**
 * Lower-cases a German name and spells umlauts and ß the way they are typed without them
 * (ä→ae, ö→oe, ü→ue, ß→ss) and drops other accents, so "Lueneburg", "lüneburg" and "LÜNEBURG"
 * all find Lüneburg. Hyphens, dashes and full stops count as spaces, so "Osterholz Scharmbeck"
 * finds Osterholz-Scharmbeck and "Hann Münden" Hann. Münden. A stored folded name made with an
 * earlier version is folded again by migration 20261205093000_fold_name_punctuation.
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
    .replace(/[-\u2010-\u2015.]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
