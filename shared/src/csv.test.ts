import { csvField, formatCsvLine, parseCsv, parseCsvRecords } from './csv';

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

describe('formatCsvLine', () => {
  it('quotes only what needs quoting, leaves missing values empty, and parses back', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(0)).toBe('0');
    const line = formatCsvLine(['03', 'Göttingen, Stadt', 'say "hi"', 'a\nb', null, 1.5]);
    expect(line).toBe('03,"Göttingen, Stadt","say ""hi""","a\nb",,1.5\r\n');
    expect(parseCsv(line)[0]!.fields).toEqual(['03', 'Göttingen, Stadt', 'say "hi"', 'a\nb', '', '1.5']);
  });
});
