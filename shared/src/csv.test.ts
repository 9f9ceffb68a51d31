import {
  CsvSyntaxError,
  csvField,
  csvNotesHint,
  csvStart,
  decodeCsvFile,
  formatCsvLine,
  formatCsvNote,
  indicatorSourceNote,
  parseCsv,
  parseCsvRecords,
  refuseNulCharacter,
  regionSourceNote,
} from './csv';

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, commas and line breaks inside fields', () => {
    const rows = parseCsv('a,b\n"x, y","say ""hi"""\r\n"multi\nline",z\n');
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', 'z'] },
    ]);
  });

  it('skips blank lines but keeps line numbers true to the file', () => {
    const rows = parseCsv('h\n\n1\n\n2');
    expect(rows.map((row) => row.line)).toEqual([1, 3, 5]);
  });

  it('strips a byte order mark and keys records by header', () => {
    expect(parseCsvRecords('\ufeffcode,name\n03,Niedersachsen\n')).toEqual([{ line: 2, record: { code: '03', name: 'Niedersachsen' } }]);
  });
});

describe('malformed CSV', () => {
  it('throws a CsvSyntaxError naming the line of a quote that is never closed', () => {
    let thrown: unknown;
    try {
      parseCsv('a,b\n1,2\n"open,3\n4,5\n');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CsvSyntaxError);
    expect((thrown as CsvSyntaxError).line).toBeGreaterThanOrEqual(3);
  });
});

describe('the NUL character', () => {
  const thrownBy = (work: () => unknown): unknown => {
    try {
      work();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('is refused with the line it stands on, whatever the line endings', () => {
    for (const text of ['a,b\n1,2\n3,x\u0000\n', 'a,b\r\n1,2\r\n3,x\u0000\r\n', 'a,b\r1,2\r3,"x\u0000"\r']) {
      const thrown = thrownBy(() => parseCsv(text));
      expect(thrown).toBeInstanceOf(CsvSyntaxError);
      expect(thrown).toMatchObject({ line: 3, message: expect.stringContaining('U+0000') });
    }
  });

  it('refuses a file saved as UTF-16 at its first line, and lets text through', () => {
    expect(thrownBy(() => refuseNulCharacter(Buffer.from('a,b\n1,2\n', 'utf16le').toString('utf8')))).toMatchObject({ line: 1 });
    expect(thrownBy(() => refuseNulCharacter('a,b\n1,2\n'))).toBeUndefined();
  });
});

describe('decodeCsvFile', () => {
  const thrownBy = (bytes: Uint8Array): unknown => {
    try {
      decodeCsvFile(bytes);
    } catch (error) {
      return error;
    }
    return undefined;
  };
  const latin1 = (text: string) => Buffer.from(text, 'latin1');

  it('decodes UTF-8, umlauts, characters beyond the BMP and a byte order mark included', () => {
    expect(decodeCsvFile(Buffer.from('\uFEFFcode,name\r\nx,Ärzte 🩺\r\n', 'utf8'))).toBe('code,name\r\nx,Ärzte 🩺\r\n');
    expect(decodeCsvFile(new Uint8Array())).toBe('');
  });

  it('calls a file with a UTF-16 byte order mark UTF-16, not Windows-1252', () => {
    const littleEndian = Buffer.from('\uFEFFcode,name\r\nx,Ärzte\r\n', 'utf16le');
    expect(thrownBy(littleEndian)).toMatchObject({
      line: 1,
      message: 'the file is UTF-16 (little-endian, by its byte order mark): save it as UTF-8',
    });
    const bigEndian = Buffer.from(littleEndian).swap16();
    expect(thrownBy(bigEndian)).toMatchObject({
      line: 1,
      message: 'the file is UTF-16 (big-endian, by its byte order mark): save it as UTF-8',
    });
    // ÿþ at the start of a Windows-1252 file (bytes FF FE) is no text anyone writes; ÿ alone is still called Windows-1252.
    expect((thrownBy(latin1('ÿ,x\n')) as Error).message).toMatch(/Windows-1252/);
  });

  it('refuses a file saved as ISO-8859-1 at the line and byte of its first umlaut, whatever the line endings', () => {
    for (const text of ['code,name\nx,y\nz,Ärzte\n', 'code,name\r\nx,y\r\nz,Ärzte\r\n', 'code,name\rx,y\rz,"Ärzte"\r']) {
      const thrown = thrownBy(latin1(text));
      expect(thrown).toBeInstanceOf(CsvSyntaxError);
      expect(thrown).toMatchObject({
        line: 3,
        message: 'byte 0xC4 is not UTF-8 (a file saved as Windows-1252 or ISO-8859-1? save it as UTF-8)',
      });
    }
  });

  it('names the first byte of a broken sequence: first, last, cut short and stray continuation bytes', () => {
    expect(thrownBy(latin1('Ä'))).toMatchObject({ line: 1, message: expect.stringContaining('0xC4') });
    expect(thrownBy(latin1('a\nb\nLüneburg'))).toMatchObject({ line: 3, message: expect.stringContaining('0xFC') });
    // A character of three bytes cut after two at the end of the file, and one cut short by a line break.
    expect(thrownBy(Buffer.concat([Buffer.from('a\n'), Buffer.from('€', 'utf8').subarray(0, 2)]))).toMatchObject({
      line: 2,
      message: expect.stringContaining('0xE2'),
    });
    expect(thrownBy(Buffer.concat([Buffer.from('€', 'utf8').subarray(0, 2), Buffer.from('\nok')]))).toMatchObject({
      line: 1,
      message: expect.stringContaining('0xE2'),
    });
    expect(thrownBy(Buffer.from([0x61, 0x0a, 0x0a, 0x80, 0x62]))).toMatchObject({ line: 3, message: expect.stringContaining('0x80') });
  });
});

describe('formatCsvLine', () => {
  it('quotes only what needs quoting, leaves missing values empty, and parses back', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(0)).toBe('0');
    const line = formatCsvLine(['03', 'Göttingen, Stadt', 'say "hi"', 'a\nb', null, 1.5]);
    expect(line).toBe('03,"Göttingen, Stadt","say ""hi""","a\nb",,1.5\r\n');
    expect(parseCsv(line)[0]!.fields).toEqual(['03', 'Göttingen, Stadt', 'say "hi"', 'a\nb', '', '1.5']);
  });
});

describe('the EXCEL_DE dialect', () => {
  /** Splits as Excel with German settings does on opening: at its list separator ";", after the byte order mark. */
  const readAsGermanExcel = (text: string): string[][] => parseCsv(text, 'EXCEL_DE').map((row) => row.fields);

  it('writes UTF-8 with a byte order mark, ";" between fields, a decimal comma, CRLF, and quotes what holds ";", quotes or line breaks', () => {
    const fields = ['03159', 'Göttingen; Stadt', 'Göttingen, Stadt', 'say "hi"', 'a\nb', null, 1.5, -0.25, 1234567.125];
    const text = csvStart('EXCEL_DE') + formatCsvLine(fields, 'EXCEL_DE');
    const bytes = Buffer.from(text, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(
      '03159;"Göttingen; Stadt";Göttingen, Stadt;"say ""hi""";"a\nb";;1,5;-0,25;1234567,125\r\n',
    );
    // "ö" as its two UTF-8 bytes, which the byte order mark tells Excel to read as one character.
    expect(bytes.includes(Buffer.from([0x47, 0xc3, 0xb6]))).toBe(true);
    expect(readAsGermanExcel(text)).toEqual([
      ['03159', 'Göttingen; Stadt', 'Göttingen, Stadt', 'say "hi"', 'a\nb', '', '1,5', '-0,25', '1234567,125'],
    ]);
  });

  it('keeps every digit of a number, as the default dialect does, with no thousands separator', () => {
    for (const value of [0.1 + 0.2, 123456789.5, -4.5e-7, 1e21, 42])
      expect(csvField(value, 'EXCEL_DE')).toBe(csvField(value).replace('.', ','));
    expect(csvField(0.1 + 0.2, 'EXCEL_DE')).toBe('0,30000000000000004');
  });

  it("writes a text that a spreadsheet would run as a formula with a ' before it, and a negative number as a number", () => {
    const texts = ['=HYPERLINK("https://example.org";"Stand")', '+49 511 120', '-', '@SUM(A1:A2)', '\tTab', '\rzurück'];
    const text = formatCsvLine([...texts, -0.25, -4.5e-7, 'Göttingen', "'=quoted already", '#1'], 'EXCEL_DE');
    expect(text).toBe(
      `"'=HYPERLINK(""https://example.org"";""Stand"")";'+49 511 120;'-;'@SUM(A1:A2);'\tTab;"'\rzurück";-0,25;-4,5e-7;Göttingen;'=quoted already;#1\r\n`,
    );
    // Each cell starts with the ', after the quote where it is quoted: Excel reads it as text.
    expect(readAsGermanExcel(text)[0]!.slice(0, texts.length)).toEqual(texts.map((field) => `'${field}`));
    // A note starts with "#", which no spreadsheet runs.
    expect(formatCsvNote('=cmd', 'EXCEL_DE')).toBe('# =cmd\r\n');
  });

  it("leaves the default dialect's texts as they are: programs read it, for which a ' would change the data", () => {
    expect(formatCsvLine(['=SUM(A1:A2)', '-', '+1', '@a', '\tb', -0.25])).toBe('=SUM(A1:A2),-,+1,@a,\tb,-0.25\r\n');
  });

  it('writes a note as one field, so Excel shows it whole in the first column however many ";" and quotes it holds', () => {
    const hint = csvNotesHint('DE', 'EXCEL_DE');
    const text =
      formatCsvNote(`Titel. ${hint}`, 'EXCEL_DE') +
      formatCsvNote('a: Quelle: "X"; Lizenz: Y', 'EXCEL_DE') +
      formatCsvLine(['a', 'b'], 'EXCEL_DE');
    expect(readAsGermanExcel(text)).toEqual([[`# Titel. ${hint}`], ['# a: Quelle: "X"; Lizenz: Y'], ['a', 'b']]);
    // The default dialect's notes are unchanged: "# " and the text, for comment="#".
    expect(formatCsvNote('a: Quelle: "X"; Lizenz: Y')).toBe('# a: Quelle: "X"; Lizenz: Y\r\n');
    expect(csvStart()).toBe('');
    expect(csvNotesHint('DE')).toContain('comment="#"');
  });
});

describe('notes above a CSV', () => {
  const indicator = {
    code: 'unemployment_rate',
    name: 'Arbeitslosenquote',
    unit: '%',
    publisher: 'Bundesagentur für Arbeit',
    url: 'https://statistik.arbeitsagentur.de/',
    licence: 'dl-de/by-2-0',
    attribution: 'Statistik der Bundesagentur für Arbeit, dl-de/by-2-0',
  };

  it('names source, licence and attribution on one line, and says when the values are synthetic', () => {
    expect(indicatorSourceNote({ ...indicator, synthetic: false }, 'unemployment_rate_2019')).toBe(
      'unemployment_rate_2019: Arbeitslosenquote [%]; source: Bundesagentur für Arbeit https://statistik.arbeitsagentur.de/; ' +
        'licence: dl-de/by-2-0; attribution: Statistik der Bundesagentur für Arbeit, dl-de/by-2-0',
    );
    expect(indicatorSourceNote({ ...indicator, url: null, synthetic: true })).toBe(
      'unemployment_rate: Arbeitslosenquote [%] SYNTHETIC (generated, not official); source: Bundesagentur für Arbeit; ' +
        'licence: dl-de/by-2-0; attribution: Statistik der Bundesagentur für Arbeit, dl-de/by-2-0',
    );
  });

  it('keeps a note on one line, so a reader skipping lines that start with # skips all of it', () => {
    const csv = formatCsvNote('first\r\nsecond\nthird') + formatCsvLine(['a', 'b']);
    expect(csv).toBe('# first second third\r\na,b\r\n');
    expect(
      parseCsv(
        csv
          .split('\r\n')
          .filter((line) => !line.startsWith('#'))
          .join('\r\n'),
      ),
    ).toEqual([{ line: 1, fields: ['a', 'b'] }]);
  });
});

describe('CSV edges', () => {
  it('reads a file without a header line as no records', () => {
    expect(parseCsvRecords('')).toEqual([]);
    expect(parseCsvRecords('code,name\n03\n')).toEqual([{ line: 2, record: { code: '03', name: '' } }]);
  });

  it('calls a file UTF-16 only by both bytes of its byte order mark', () => {
    for (const bytes of [
      [0xff, 0x41],
      [0x41, 0xfe],
      [0xfe, 0x41],
      [0x41, 0xff],
    ]) {
      let error: unknown;
      try {
        decodeCsvFile(Uint8Array.from(bytes));
      } catch (caught) {
        error = caught;
      }
      expect((error as Error).message).toMatch(/is not UTF-8 \(a file saved as Windows-1252/);
    }
  });

  it('names the source of region codes and names, in the language asked', () => {
    const source = { publisher: 'LSN', licence: 'dl-de/by-2-0', url: 'https://www.statistik.niedersachsen.de/', attribution: '© LSN' };
    expect(regionSourceNote(source)).toBe(
      'region_code, region_name: source: LSN https://www.statistik.niedersachsen.de/; licence: dl-de/by-2-0; attribution: © LSN',
    );
    expect(regionSourceNote(source, 'DE')).toBe(
      'region_code, region_name: Quelle: LSN https://www.statistik.niedersachsen.de/; Lizenz: dl-de/by-2-0; Namensnennung: © LSN',
    );
  });

  it("tells Excel's readers where the table starts, and the others how to skip the notes", () => {
    expect(csvNotesHint('EN', 'EXCEL_DE')).toMatch(/^Lines starting with # are notes; the table starts at its header line/);
    expect(csvNotesHint('EN', 'RFC4180')).toMatch(/comment="#"/);
  });
});
