import { assertNever } from '../shared/errors.js';
/**
 * The condition language of branch steps, parsed by hand and interpreted; never eval / new Function.
 *   expr    := or
 *   or      := and ('||' and)*
 *   and     := cmp ('&&' cmp)*
 *   cmp     := unary (('=='|'!='|'>'|'<'|'>='|'<=') unary)?
 *   unary   := '!' unary | primary
 *   primary := number | 'string' | "string" | true | false | field | fn '(' expr (',' expr)* ')' | '(' expr ')'
 * Functions: len(x) (characters or items), empty(x) (unanswered, '' or []).
 */
export type BinaryOp = '==' | '!=' | '>' | '<' | '>=' | '<=' | '&&' | '||';
export type Expr =
  | { kind: 'lit'; value: string | number | boolean }
  | { kind: 'ref'; name: string }
  | { kind: 'call'; fn: string; args: Expr[] }
  | { kind: 'not'; expr: Expr }
  | { kind: 'bin'; op: BinaryOp; left: Expr; right: Expr };

export type ExprValue = string | number | boolean | null | string[];

type Token =
  { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string };

const MAX_LENGTH = 1000;
const MAX_DEPTH = 40;
const FUNCTIONS: Readonly<Record<string, number>> = { len: 1, empty: 1 };

function tokenize(src: string): Token[] | string {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const num = /^\d+(\.\d+)?/.exec(rest);
    if (num) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) return `字符串没有结束引号（位置 ${i}）`;
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const op = /^(==|!=|>=|<=|&&|\|\||[><!(),])/.exec(rest);
    if (op) {
      out.push({ t: 'op', v: op[0] });
      i += op[0].length;
      continue;
    }
    return `无法识别的字符「${c}」（位置 ${i}）`;
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    const e = this.or(0);
    if (this.pos < this.tokens.length) throw new SyntaxError(`多余的内容：${show(this.tokens[this.pos])}`);
    return e;
  }
  private peekOp(...ops: string[]): string | null {
    const tok = this.tokens[this.pos];
    return tok?.t === 'op' && ops.includes(tok.v) ? tok.v : null;
  }
  private expectOp(op: string): void {
    if (this.peekOp(op) === null) throw new SyntaxError(`缺少「${op}」，遇到 ${show(this.tokens[this.pos])}`);
    this.pos++;
  }
  private or(depth: number): Expr {
    let left = this.and(depth);
    while (this.peekOp('||')) {
      this.pos++;
      left = { kind: 'bin', op: '||', left, right: this.and(depth) };
    }
    return left;
  }
  private and(depth: number): Expr {
    let left = this.cmp(depth);
    while (this.peekOp('&&')) {
      this.pos++;
      left = { kind: 'bin', op: '&&', left, right: this.cmp(depth) };
    }
    return left;
  }
  private cmp(depth: number): Expr {
    const left = this.unary(depth);
    const op = this.peekOp('==', '!=', '>=', '<=', '>', '<');
    if (op === null) return left;
    this.pos++;
    return { kind: 'bin', op: toBinary(op), left, right: this.unary(depth) };
  }
  private unary(depth: number): Expr {
    if (depth > MAX_DEPTH) throw new SyntaxError('表达式嵌套过深');
    if (this.peekOp('!')) {
      this.pos++;
      return { kind: 'not', expr: this.unary(depth + 1) };
    }
    return this.primary(depth);
  }
  private primary(depth: number): Expr {
    const tok = this.tokens[this.pos];
    if (tok === undefined) throw new SyntaxError('表达式不完整');
    this.pos++;
    if (tok.t === 'num' || tok.t === 'str') return { kind: 'lit', value: tok.v };
    if (tok.t === 'id') {
      if (tok.v === 'true' || tok.v === 'false') return { kind: 'lit', value: tok.v === 'true' };
      if (!this.peekOp('(')) return { kind: 'ref', name: tok.v };
      this.pos++;
      const args: Expr[] = [this.or(depth + 1)];
      while (this.peekOp(',')) {
        this.pos++;
        args.push(this.or(depth + 1));
      }
      this.expectOp(')');
      return { kind: 'call', fn: tok.v, args };
    }
    if (tok.v === '(') {
      const e = this.or(depth + 1);
      this.expectOp(')');
      return e;
    }
    throw new SyntaxError(`意外的「${tok.v}」`);
  }
}

function toBinary(op: string): BinaryOp {
  switch (op) {
    case '==':
    case '!=':
    case '>':
    case '<':
    case '>=':
    case '<=':
    case '&&':
    case '||':
      return op;
    default:
      throw new SyntaxError(`未知运算符 ${op}`);
  }
}

function show(tok: Token | undefined): string {
  if (tok === undefined) return '结尾';
  return tok.t === 'str' ? `"${tok.v}"` : `「${String(tok.v)}」`;
}

export function parseExpr(src: string): { ok: true; expr: Expr } | { ok: false; error: string } {
  if (src.length > MAX_LENGTH) return { ok: false, error: `表达式超过 ${MAX_LENGTH} 个字符` };
  const tokens = tokenize(src);
  if (typeof tokens === 'string') return { ok: false, error: tokens };
  if (tokens.length === 0) return { ok: false, error: '表达式为空' };
  try {
    return { ok: true, expr: new Parser(tokens).parse() };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Compile-time check: every field known, every function known with its arity. Returns problems (Chinese). */
export function checkExpr(expr: Expr, fields: ReadonlySet<string>): string[] {
  switch (expr.kind) {
    case 'lit':
      return [];
    case 'ref':
      return fields.has(expr.name) ? [] : [`未知字段「${expr.name}」`];
    case 'not':
      return checkExpr(expr.expr, fields);
    case 'bin':
      return [...checkExpr(expr.left, fields), ...checkExpr(expr.right, fields)];
    case 'call': {
      const inner = expr.args.flatMap((a) => checkExpr(a, fields));
      if (!Object.hasOwn(FUNCTIONS, expr.fn)) return [`未知函数「${expr.fn}」`, ...inner];
      const arity = FUNCTIONS[expr.fn];
      return expr.args.length === arity ? inner : [`函数 ${expr.fn} 需要 ${arity} 个参数`, ...inner];
    }
    default:
      return assertNever(expr, 'expression');
  }
}

/** Fields the expression reads. With `guarded`, fields only tested by empty(x) are left out (reading is safe). */
export function exprRefs(expr: Expr, guarded = false): string[] {
  switch (expr.kind) {
    case 'lit':
      return [];
    case 'ref':
      return [expr.name];
    case 'not':
      return exprRefs(expr.expr, guarded);
    case 'bin':
      return [...exprRefs(expr.left, guarded), ...exprRefs(expr.right, guarded)];
    case 'call':
      return guarded && expr.fn === 'empty' ? [] : expr.args.flatMap((a) => exprRefs(a, guarded));
    default:
      return assertNever(expr, 'expression');
  }
}

function truthy(v: ExprValue): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && v !== '' && v !== false && v !== 0;
}

function equal(a: ExprValue, b: ExprValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function compare(op: '>' | '<' | '>=' | '<=', a: ExprValue, b: ExprValue): boolean {
  const bothNumbers = typeof a === 'number' && typeof b === 'number';
  const bothStrings = typeof a === 'string' && typeof b === 'string'; // dates are 'YYYY-MM-DD', so this orders them
  if (!bothNumbers && !bothStrings) return false;
  switch (op) {
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    default:
      return assertNever(op, 'op');
  }
}

/** Total: unknown fields read as null, type mismatches compare false. */
export function evalExpr(expr: Expr, lookup: (field: string) => ExprValue): ExprValue {
  switch (expr.kind) {
    case 'lit':
      return expr.value;
    case 'ref':
      return lookup(expr.name);
    case 'not':
      return !truthy(evalExpr(expr.expr, lookup));
    case 'call': {
      const arg = expr.args[0] === undefined ? null : evalExpr(expr.args[0], lookup);
      if (expr.fn === 'len')
        return typeof arg === 'string' ? [...arg].length : Array.isArray(arg) ? arg.length : 0;
      if (expr.fn === 'empty') return !truthy(arg) && arg !== 0 && arg !== false;
      return null;
    }
    case 'bin': {
      if (expr.op === '&&')
        return truthy(evalExpr(expr.left, lookup)) && truthy(evalExpr(expr.right, lookup));
      if (expr.op === '||')
        return truthy(evalExpr(expr.left, lookup)) || truthy(evalExpr(expr.right, lookup));
      const l = evalExpr(expr.left, lookup);
      const r = evalExpr(expr.right, lookup);
      if (expr.op === '==') return equal(l, r);
      if (expr.op === '!=') return !equal(l, r);
      return compare(expr.op, l, r);
    }
    default:
      return assertNever(expr, 'expression');
  }
}

export function isTruthy(v: ExprValue): boolean {
  return truthy(v);
}
