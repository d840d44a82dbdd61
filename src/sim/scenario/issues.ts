import * as v from 'valibot';

/**
 * The validation library's issues in our words. Messages the schema writes
 * itself ("expected 0 or 1") are kept; the library's default wording
 * ("Invalid key: Expected never but received ...") is replaced by a sentence
 * that names the field, says what is wrong and, for an unknown field, lists
 * the fields that are allowed there (looked up in the schema itself, so the
 * list never goes stale).
 */

type Issue = v.BaseIssue<unknown>;
/** The few members of a valibot schema this walk reads (they differ per schema type). */
interface SchemaNode {
  type: string;
  wrapped?: SchemaNode;
  entries?: Record<string, SchemaNode>;
  item?: SchemaNode;
  items?: SchemaNode[];
  value?: SchemaNode;
  options?: SchemaNode[];
  key?: string;
  literal?: unknown;
}

/** The library's own messages all start like this; ours never do. */
const LIBRARY_WORDING = /^Invalid [a-z ]+:/i;

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  strict_tuple: 'a list',
  tuple: 'a list',
  object: 'an object',
  strict_object: 'an object',
  loose_object: 'an object',
  record: 'an object',
  literal: 'a fixed value',
  picklist: 'one of the listed values',
};

/** One sentence naming the field (dot path) and the fault. */
export function describeIssue(issue: Issue, root: unknown): string {
  const path = v.getDotPath(issue) ?? '(top level)';
  if (!LIBRARY_WORDING.test(issue.message)) return `${path}: ${issue.message}`;
  const items = issue.path ?? [];
  const last = items[items.length - 1];
  const isObjectSchema = issue.type === 'strict_object' || issue.type === 'object' || issue.type === 'loose_object';
  if (isObjectSchema && last && last.type === 'object') {
    const key = String(last.key);
    if (issue.expected === 'never') {
      const parent = schemaAt(root as SchemaNode, items.slice(0, -1), last.input);
      const allowed = parent?.entries ? Object.keys(parent.entries) : [];
      const list = allowed.length > 0 ? ` (expected one of ${allowed.join(', ')})` : '';
      return `${path}: unknown field ${quote(key)}${list}`;
    }
    if (issue.received === 'undefined') return `${path}: required field ${quote(key)} is missing`;
  }
  const req = (issue as { requirement?: unknown }).requirement;
  const got = describeValue(issue.input);
  switch (issue.type) {
    case 'max_length':
      return `${path}: at most ${String(req)} ${Array.isArray(issue.input) ? 'items' : 'characters'}, got ${lengthOf(issue.input)}`;
    case 'min_length':
      return `${path}: at least ${String(req)} ${Array.isArray(issue.input) ? 'items' : 'characters'}, got ${lengthOf(issue.input)}`;
    case 'max_value':
      return `${path}: at most ${String(req)}, got ${got}`;
    case 'min_value':
      return `${path}: at least ${String(req)}, got ${got}`;
    case 'integer':
      return `${path}: expected an integer, got ${got}`;
    case 'union':
    case 'variant':
      return `${path}: not one of the accepted forms, got ${got}`;
    default: {
      const want = TYPE_WORDS[issue.type];
      if (issue.kind === 'schema' && want) return `${path}: expected ${want}, got ${got}`;
      return `${path}: not accepted here, got ${got}`;
    }
  }
}

/** The schema that validates the value at this path (the parent object of an unknown key), or null. */
function schemaAt(root: SchemaNode, items: readonly v.IssuePathItem[], leafInput: unknown): SchemaNode | null {
  let node: SchemaNode | null = root;
  for (const item of items) {
    if (!node) return null;
    node = child(node, item.key, item.input);
  }
  return node ? pickOption(unwrap(node), leafInput) : null;
}

function unwrap(s: SchemaNode): SchemaNode {
  let n = s;
  for (let i = 0; i < 8 && n.wrapped; i++) n = n.wrapped;
  return n;
}

/** For a union or variant, the option that fits this input (by its discriminator), else the schema itself. */
function pickOption(s: SchemaNode, input: unknown): SchemaNode {
  if ((s.type !== 'variant' && s.type !== 'union') || !s.options) return s;
  const rec = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  for (const o of s.options) {
    const opt = pickOption(unwrap(o), input);
    if (s.type === 'variant' && s.key && opt.entries?.[s.key]?.literal === rec[s.key]) return opt;
    if (s.type === 'union' && opt.entries) return opt;
  }
  return s;
}

function child(s: SchemaNode, key: unknown, input: unknown): SchemaNode | null {
  const n = pickOption(unwrap(s), input);
  if (n.entries) return n.entries[String(key)] ?? null;
  if (n.item) return n.item;
  if (n.items) return n.items[Number(key)] ?? null;
  if (n.type === 'record' && n.value) return n.value;
  return null;
}

/** Quoted, shortened; control characters are left for the printer to escape (the CLI shows them as \x1b). */
function quote(text: string): string {
  return `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
}

function lengthOf(x: unknown): number {
  return typeof x === 'string' || Array.isArray(x) ? x.length : 0;
}

/** A value as the sentence names it: short, and never the whole of a large input. */
export function describeValue(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (x === null) return 'null';
  if (typeof x === 'string') return quote(x);
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  if (Array.isArray(x)) return `a list of ${x.length}`;
  if (typeof x === 'object') return 'an object';
  return typeof x;
}
