import Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import { formatMoney } from '@commerce/contracts';

/** The three parts of one template in one locale. */
export interface TemplateSource {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface RenderedMessage {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** One field of the data a template cannot render with, named by its path under `data`. */
export interface DataViolation {
  readonly field: string;
  readonly constraints: readonly string[];
}

/** The data does not fit the template: a variable is missing or has the wrong kind of value. */
export class TemplateDataError extends Error {
  override readonly name = 'TemplateDataError';

  constructor(readonly violations: readonly DataViolation[]) {
    super(violations.flatMap((v) => v.constraints).join('; '));
  }
}

// Helpers templates may call. Anything else is a compile error (knownHelpersOnly), so a typo in a
// template fails at seed time instead of rendering an empty string for every customer.
const HELPERS = ['money'] as const;
const BUILT_IN_BLOCKS = new Set(['if', 'unless', 'each', 'with']);

interface TrackedHelperOptions extends Handlebars.HelperOptions {
  /** The original paths of the parameters (compile option `trackIds`). */
  ids?: (string | undefined)[];
}

/** A compiled template: the variables it needs (from its syntax tree) and its three renderers. */
interface Compiled {
  readonly required: readonly (readonly string[])[];
  readonly subject: HandlebarsTemplateDelegate;
  readonly html: HandlebarsTemplateDelegate;
  readonly text: HandlebarsTemplateDelegate;
}

/**
 * Renders notification templates with Handlebars in strict mode: a variable the template uses but
 * the data lacks is an error naming the field (`data.items[1].name`), never an empty string in a
 * customer's email. HTML bodies escape every value; subjects and text bodies do not (they are not
 * HTML). `{{money amount currency}}` formats minor units in the template's locale.
 */
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly cache = new Map<string, Compiled>();

  constructor() {
    this.handlebars.registerHelper('money', moneyHelper);
  }

  /** Compiles (once per distinct source) and checks the template; throws on a syntax error. */
  compile(source: TemplateSource): void {
    this.compiled(source);
  }

  render(source: TemplateSource, data: Record<string, unknown>, locale: string): RenderedMessage {
    const compiled = this.compiled(source);
    const violations = findMissing(data, compiled.required);
    if (violations.length > 0) throw new TemplateDataError(violations);
    const runtime = { data: { locale } };
    try {
      return {
        subject: compiled.subject(data, runtime).trim(),
        html: compiled.html(data, runtime),
        text: compiled.text(data, runtime),
      };
    } catch (error) {
      if (error instanceof TemplateDataError) throw error;
      // Strict mode caught a variable the static check could not see (e.g. inside an `if`).
      const message = error instanceof Error ? error.message : String(error);
      const variable = /^"([^"]+)" not defined/.exec(message)?.[1];
      throw new TemplateDataError([
        {
          field: variable ? `data.${variable}` : 'data',
          constraints: [
            variable
              ? `data.${variable} is required by the template`
              : `data does not fit the template: ${message}`,
          ],
        },
      ]);
    }
  }

  private compiled(source: TemplateSource): Compiled {
    const key = createHash('sha256')
      .update(source.subject)
      .update('\0')
      .update(source.html)
      .update('\0')
      .update(source.text)
      .digest('base64');
    let compiled = this.cache.get(key);
    if (!compiled) {
      compiled = {
        required: dedupe(
          [source.subject, source.html, source.text].flatMap((part) => requiredPaths(part)),
        ),
        subject: this.compilePart(source.subject, false),
        html: this.compilePart(source.html, true),
        text: this.compilePart(source.text, false),
      };
      this.cache.set(key, compiled);
    }
    return compiled;
  }

  private compilePart(part: string, escape: boolean): HandlebarsTemplateDelegate {
    const options: CompileOptions & { trackIds: boolean } = {
      strict: true,
      noEscape: !escape,
      knownHelpers: Object.fromEntries(HELPERS.map((h) => [h, true])),
      knownHelpersOnly: true,
      trackIds: true,
    };
    // compile() is lazy; precompile() fails now on a syntax error or an unknown helper.
    this.handlebars.precompile(part, options);
    return this.handlebars.compile(part, options);
  }
}

function moneyHelper(amount: unknown, currency: unknown, options: TrackedHelperOptions): string {
  const locale = (options.data as { locale?: string } | undefined)?.locale ?? 'en';
  const where = (index: number) => fieldOf(options, index);
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
    throw new TemplateDataError([
      {
        field: where(0),
        constraints: [`${where(0)} must be an integer amount in minor units (e.g. 1999 for 19.99)`],
      },
    ]);
  }
  try {
    return formatMoney(amount, String(currency), locale);
  } catch {
    throw new TemplateDataError([
      {
        field: where(1),
        constraints: [`${where(1)} must be an ISO 4217 currency code such as "EUR"`],
      },
    ]);
  }
}

/** `data.items[0].unitPrice` from the helper's context path (`items.0`) and parameter (`unitPrice`). */
function fieldOf(options: TrackedHelperOptions, index: number): string {
  const id = options.ids?.[index];
  if (!id) return 'data';
  if (id.startsWith('../') || id.startsWith('@root.')) {
    return toField(
      id
        .replace(/^(\.\.\/)+/, '')
        .replace(/^@root\./, '')
        .split('.'),
    );
  }
  const context = (options.data as { contextPath?: string } | undefined)?.contextPath;
  return toField([...(context ? context.split('.') : []), ...id.split('.')]);
}

function toField(segments: readonly string[]): string {
  let field = 'data';
  for (const segment of segments) {
    if (segment === '' || segment === 'this') continue;
    field += /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`;
  }
  return field;
}

// ---------------------------------------------------------------------------------------------
// Static analysis: which paths a template needs. `[]` stands for "every element of this list".

type AstNode = hbs.AST.Node;

/**
 * The variables a template cannot render without, read from its syntax tree: plain mustaches,
 * helper arguments, `each`/`with` subjects and everything inside them. Whatever sits under `if` or
 * `unless` is optional (the condition decides), and strict mode still guards it at render time.
 */
export function requiredPaths(template: string): string[][] {
  const found: string[][] = [];
  walkProgram(Handlebars.parse(template), [[]], found);
  return found;
}

function walkProgram(program: hbs.AST.Program | undefined, scopes: string[][], out: string[][]) {
  for (const statement of program?.body ?? []) walk(statement, scopes, out);
}

function walk(node: AstNode, scopes: string[][], out: string[][]): void {
  switch (node.type) {
    case 'MustacheStatement': {
      const mustache = node as hbs.AST.MustacheStatement;
      if (mustache.path.type !== 'PathExpression') return;
      const path = mustache.path as hbs.AST.PathExpression;
      const isHelperCall = mustache.params.length > 0 || isHelper(path);
      if (!isHelperCall) requirePath(path, scopes, out);
      else requireParams(mustache.params, mustache.hash, scopes, out);
      return;
    }
    case 'BlockStatement': {
      const block = node as hbs.AST.BlockStatement;
      const name = block.path.original;
      const subject = block.params[0];
      if (name === 'if' || name === 'unless') return; // optional by definition
      if ((name === 'each' || name === 'with') && subject?.type === 'PathExpression') {
        const resolved = resolve(subject as hbs.AST.PathExpression, scopes);
        if (!resolved) return;
        out.push(resolved);
        const inner = name === 'each' ? [...resolved, '[]'] : resolved;
        walkProgram(block.program, [...scopes, inner], out);
        return;
      }
      if (!BUILT_IN_BLOCKS.has(name)) requireParams(block.params, block.hash, scopes, out);
      walkProgram(block.program, scopes, out);
      return;
    }
    default:
      return;
  }
}

function isHelper(path: hbs.AST.PathExpression): boolean {
  return path.parts.length === 1 && (HELPERS as readonly string[]).includes(path.original);
}

function requireParams(
  params: hbs.AST.Expression[],
  hash: hbs.AST.Hash | undefined,
  scopes: string[][],
  out: string[][],
): void {
  const values = [...params, ...(hash?.pairs.map((pair) => pair.value) ?? [])];
  for (const value of values) {
    if (value.type === 'PathExpression') requirePath(value as hbs.AST.PathExpression, scopes, out);
    if (value.type === 'SubExpression') {
      const sub = value as hbs.AST.SubExpression;
      requireParams(sub.params, sub.hash, scopes, out);
    }
  }
}

function requirePath(path: hbs.AST.PathExpression, scopes: string[][], out: string[][]): void {
  const resolved = resolve(path, scopes);
  if (resolved && resolved.length > 0) out.push(resolved);
}

/** The absolute path of `path` in the data, or undefined for data variables such as `@index`. */
function resolve(path: hbs.AST.PathExpression, scopes: string[][]): string[] | undefined {
  if (path.data) {
    if (path.parts[0] !== 'root') return undefined;
    return path.parts.slice(1);
  }
  const scope = scopes[Math.max(0, scopes.length - 1 - path.depth)] ?? [];
  return [...scope, ...path.parts];
}

function dedupe(paths: string[][]): string[][] {
  const seen = new Set<string>();
  return paths.filter((path) => {
    const key = path.join('\0');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every required path the data lacks, reported once at the shallowest missing level. */
export function findMissing(
  data: Record<string, unknown>,
  required: readonly (readonly string[])[],
): DataViolation[] {
  const problems = new Map<string, string>();
  for (const path of required) check(data, path, 'data', problems);
  return [...problems].map(([field, problem]) => ({
    field,
    constraints: [`${field} ${problem}`],
  }));
}

function check(value: unknown, path: readonly string[], at: string, out: Map<string, string>) {
  if (value === undefined || value === null) {
    if (!out.has(at)) out.set(at, 'is required by the template');
    return;
  }
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (head === '[]') {
    if (!Array.isArray(value)) {
      out.set(at, 'must be a list');
      return;
    }
    value.forEach((element, index) => check(element, rest, `${at}[${index}]`, out));
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    out.set(at, 'must be an object');
    return;
  }
  const child = Object.prototype.hasOwnProperty.call(value, head)
    ? (value as Record<string, unknown>)[head]
    : undefined;
  check(child, rest, `${at}.${head}`, out);
}
