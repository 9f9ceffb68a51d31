/**
 * The formulas of derived indicators: arithmetic (+ − × ÷, parentheses, decimal numbers) over
 * indicator codes, e.g. `population / area_km2` or `care_recipients / population * 1000`. Kept
 * this small on purpose: a catalogue row states its formula once and the loader computes it for
 * every region and year, so the description, the API's `derivedFrom` and the values cannot drift.
 */
export type FormulaNode =
  | { kind: 'number'; value: number }
  | { kind: 'indicator'; code: string }
  | { kind: 'binary'; operator: '+' | '-' | '*' | '/'; left: FormulaNode; right: FormulaNode };

export interface Formula {
  text: string;
  root: FormulaNode;
  /** The indicator codes the formula reads, each once, in order of appearance. */
  inputs: string[];
}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([a-z][a-z0-9_]*)|([-+*/()]))/y;

/** Parses a formula; throws an Error whose message says what is wrong and where. */
export function parseFormula(text: string): Formula {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new Error(`unexpected character at position ${at + 1} of formula ${JSON.stringify(text)}`);
    tokens.push(match[0].trim());
  }
  let position = 0;
  const inputs: string[] = [];
  const expectMore = () => {
    if (position >= tokens.length) throw new Error(`formula ${JSON.stringify(text)} ends too early`);
  };
  const primary = (): FormulaNode => {
    expectMore();
    const token = tokens[position++]!;
    if (token === '(') {
      const inner = sum();
      if (tokens[position++] !== ')') throw new Error(`missing ")" in formula ${JSON.stringify(text)}`);
      return inner;
    }
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (/^[a-z]/.test(token)) {
      if (!inputs.includes(token)) inputs.push(token);
      return { kind: 'indicator', code: token };
    }
    throw new Error(`unexpected ${JSON.stringify(token)} in formula ${JSON.stringify(text)}`);
  };
  const product = (): FormulaNode => {
    let node = primary();
    while (tokens[position] === '*' || tokens[position] === '/') {
      const operator = tokens[position++] as '*' | '/';
      node = { kind: 'binary', operator, left: node, right: primary() };
    }
    return node;
  };
  const sum = (): FormulaNode => {
    let node = product();
    while (tokens[position] === '+' || tokens[position] === '-') {
      const operator = tokens[position++] as '+' | '-';
      node = { kind: 'binary', operator, left: node, right: product() };
    }
    return node;
  };
  const root = sum();
  if (position !== tokens.length) throw new Error(`unexpected ${JSON.stringify(tokens[position])} in formula ${JSON.stringify(text)}`);
  if (inputs.length === 0) throw new Error(`formula ${JSON.stringify(text)} reads no indicator`);
  return { text, root, inputs };
}

/** The formula's value; null when an input has no value or a division by zero occurs. */
export function evaluateFormula(node: FormulaNode, valueOf: (code: string) => number | null | undefined): number | null {
  if (node.kind === 'number') return node.value;
  if (node.kind === 'indicator') return valueOf(node.code) ?? null;
  const left = evaluateFormula(node.left, valueOf);
  const right = evaluateFormula(node.right, valueOf);
  if (left === null || right === null) return null;
  switch (node.operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return right === 0 ? null : left / right;
  }
}
