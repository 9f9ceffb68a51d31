import { recordProvenance } from '../provenance';
import { englishWordsIn } from './language';

describe('englishWordsIn', () => {
  it('finds English left in a German text', () => {
    expect(englishWordsIn('Von RegioGraph berechnet; the value is not published.')).toEqual(['the', 'is', 'not']);
    expect(englishWordsIn('No observation: the data have no value for this region and year.')).toEqual([
      'No',
      'the',
      'have',
      'no',
      'for',
      'this',
      'and',
    ]);
    expect(englishWordsIn('Keine Angabe. Values of the state')).toEqual(['Values', 'of', 'the']);
  });

  it('finds nothing in German, however it quotes codes, URLs and licences', () => {
    for (const german of [
      'Die API lehnt die Anfrage ab: eine Angabe ist ungültig.',
      'Not und Elend; was man hat, will man so auch in der Stadt an die Kreise geben.',
      'Quelle: https://www.regionalstatistik.de/genesis/online?operation=table&code=12411-01-01-4 – Lizenz dl-de/by-2-0.',
      'Kein Wert: `share_of_the_population` hat nur Werte auf den Ebenen Kreis und Gemeinde.',
      'Datenlizenz Deutschland – Namensnennung – Version 2.0; Daten verändert: von RegioGraph berechnet.',
      'RegioGraph-Export (/export/observations.csv?indicators=population&from=2021&to=2021&language=DE). Zeilen mit #.',
    ])
      expect(englishWordsIn(german)).toEqual([]);
  });

  it('finds nothing in the German attributions RegioGraph writes, and English in the English ones', () => {
    const inputs = [
      { origin: 'real' as const, source: 'https://zgb.de/ | https://de.wikipedia.org/wiki/X', editedByEditor: true, editedAt: new Date() },
      { origin: 'real' as const, source: null },
      { origin: 'synthetic' as const, source: null },
      { origin: 'written' as const, source: null },
    ];
    for (const input of inputs) {
      expect(englishWordsIn(recordProvenance(input, 'DE').attribution)).toEqual([]);
      expect(englishWordsIn(recordProvenance(input, 'EN').attribution).length).toBeGreaterThan(0);
    }
  });
});
