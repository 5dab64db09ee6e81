#!/usr/bin/env node
// Generates wasm/src/generated.d.ts, the TypeScript for every model,
// operation, group, webhook event and error code, from core/catalog.json
// (which schemars derives from the Rust types, drift-checked by a core test).
// wasm-bindgen embeds the result in the package's .d.ts.
//
//   node wasm/js/scripts/gen-types.mjs          write the file
//   node wasm/js/scripts/gen-types.mjs --check  exit 1 if it is out of date

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const catalogPath = join(root, 'core', 'catalog.json');
export const outputPath = join(root, 'wasm', 'src', 'generated.d.ts');

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function doc(text, indent) {
  if (!text) return '';
  const lines = String(text).replace(/\*\//g, '*\\/').split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

function union(parts) {
  const seen = [...new Set(parts)];
  return seen.length ? seen.join(' | ') : 'never';
}

function paren(t) {
  return /[|&]/.test(t) ? `(${t})` : t;
}

/** The TypeScript type of a JSON Schema. */
function tsType(s, indent) {
  if (s === true || s === undefined || (typeof s === 'object' && Object.keys(s).length === 0)) return 'JsonValue';
  if (s === false) return 'never';
  if (s.$ref) {
    const m = /^#\/\$defs\/(.+)$/.exec(s.$ref);
    if (!m) throw new Error(`unsupported $ref ${s.$ref}`);
    return m[1];
  }
  if ('const' in s) return JSON.stringify(s.const);
  if (s.enum) return union(s.enum.map((v) => JSON.stringify(v)));
  if (s.anyOf || s.oneOf) return union((s.anyOf || s.oneOf).map((x) => tsType(x, indent)));
  if (s.type === undefined) {
    if (s.properties) return objectType(s, indent);
    return 'JsonValue';
  }
  const types = Array.isArray(s.type) ? s.type : [s.type];
  return union(
    types.map((t) => {
      switch (t) {
        case 'null':
          return 'null';
        case 'string':
          return 'string';
        case 'integer':
        case 'number':
          return 'number';
        case 'boolean':
          return 'boolean';
        case 'array':
          return `${paren(tsType(s.items, indent))}[]`;
        case 'object':
          return objectType(s, indent);
        default:
          throw new Error(`unsupported type ${t}`);
      }
    }),
  );
}

function objectType(s, indent) {
  const inner = `${indent}  `;
  const required = new Set(s.required || []);
  let body = '';
  for (const [name, prop] of Object.entries(s.properties || {})) {
    const key = IDENT.test(name) ? name : JSON.stringify(name);
    body += doc(prop.description, inner);
    body += `${inner}${key}${required.has(name) ? '' : '?'}: ${tsType(prop, inner)};\n`;
  }
  const extra = s.additionalProperties;
  if (extra === true) body += `${inner}[key: string]: unknown;\n`;
  else if (extra && typeof extra === 'object') {
    // TypeScript wants every named property to fit the index signature
    // (free slots: `traceId` beside the days).
    const named = Object.entries(s.properties || {}).map(([n, p]) => tsType(p, inner) + (required.has(n) ? '' : ' | undefined'));
    const all = [...new Set([tsType(extra, inner), ...named])];
    body += `${inner}[key: string]: ${all.join(' | ')};\n`;
  }
  if (!body) return extra === undefined && !s.properties ? 'Record<string, JsonValue>' : '{}';
  return `{\n${body}${indent}}`;
}

function strip(schema) {
  const { $schema, $defs, title, ...rest } = schema;
  return rest;
}

function pascal(name) {
  return name[0].toUpperCase() + name.slice(1);
}

export function generate(catalog) {
  const named = new Map(); // name -> schema (without $defs)
  const define = (name, schema) => {
    if (!IDENT.test(name)) throw new Error(`bad type name ${name}`);
    const key = JSON.stringify(schema);
    const prior = named.get(name);
    if (prior !== undefined && JSON.stringify(prior) !== key) {
      throw new Error(`two different schemas are both named ${name}`);
    }
    named.set(name, schema);
  };
  const root = (schema, fallback) => {
    for (const [n, d] of Object.entries(schema.$defs || {})) define(n, d);
    const name = schema.title || fallback;
    define(name, strip(schema));
    return name;
  };

  const ops = catalog.actions.map((a) => ({
    ...a,
    paramsType: root(a.params, `${pascal(a.name.replace('.', '_'))}Params`),
    resultType: root(a.result, `${pascal(a.name.replace('.', '_'))}Result`),
  }));
  const triggers = catalog.triggers.map((t) => ({ ...t, eventType: root(t.schema, `${t.type}Event`) }));
  // The settings the package's constructors and functions take
  // (`ClientConfig`, `WebhookVerifierOptions`, …), named by their schemas.
  for (const [kind, schema] of Object.entries(catalog.settings)) root(schema, `${pascal(kind)}Config`);
  // A mapping template (`mapRecords`), from the catalog's `mapping.template`.
  root(catalog.mapping.template, 'MappingTemplate');
  // A flow (`client.loadFlow`) and one run of it, from the catalog's `flow` and `flowRun`.
  root(catalog.flow, 'FlowDefinition');
  root(catalog.flowRun, 'FlowRun');

  let out = '/* Generated from core/catalog.json by wasm/js/scripts/gen-types.mjs. Do not edit. */\n\n';
  out += '/** Any JSON value. */\n';
  out += 'export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };\n\n';

  for (const name of [...named.keys()].sort()) {
    const s = named.get(name);
    out += doc(s.description, '');
    const t = tsType(s, '');
    const single = t.startsWith('{\n') && t.endsWith('}') && !/\n}\s*\|/.test(t);
    out += single ? `export interface ${name} ${t}\n\n` : `export type ${name} = ${t};\n\n`;
  }

  out += '/** Every operation by catalog name: its params and its result. */\nexport interface Operations {\n';
  for (const o of ops) {
    for (const name of [o.name, ...(o.aliases || [])]) {
      out += doc(name === o.name ? o.summary : `${o.summary} (the former name of \`${o.name}\`)`, '  ');
      out += `  ${JSON.stringify(name)}: { params: ${o.paramsType}; result: ${o.resultType} };\n`;
    }
  }
  out += '}\n\n';
  out += '/** A catalog operation name, such as `"contacts.get"`. */\nexport type OperationName = keyof Operations;\n';
  out += '/** The params object of operation `N`. */\nexport type OperationParams<N extends OperationName> = Operations[N]["params"];\n';
  out += '/** The result of operation `N`. */\nexport type OperationResult<N extends OperationName> = Operations[N]["result"];\n';
  const paged = ops.filter((o) => o.pagination !== 'none').map((o) => JSON.stringify(o.name));
  out += `/** The operations that have pages (for \`pages()\`). */\nexport type PaginatedOperationName = ${union(paged)};\n\n`;

  const groups = new Map();
  const add = (group, method, op) => {
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push({ method, op });
  };
  // `group.method`, where the method may itself be dotted (`customFields.v2.get`
  // is `client.customFields.v2.get`); former names (`aliases`) are methods too.
  for (const o of ops) {
    for (const name of [o.name, ...(o.aliases || [])]) {
      const dot = name.indexOf('.');
      const [group, method] = [name.slice(0, dot), name.slice(dot + 1)];
      add(group, method, { ...o, alias: name === o.name ? null : o.name });
      if (method === 'search') add('search', group, o);
    }
  }
  const member = (method, op, indent) => {
    const how = op.kind === 'composite'
      ? `A composite action (scopes ${op.scopes.map((x) => `\`${x}\``).join(', ')})`
      : `\`${op.method} ${op.path}\`${op.scope ? ` (scope \`${op.scope}\`)` : ''}`;
    const former = op.alias ? `\n\nThe former name of \`${op.alias}\`.` : '';
    let text = doc(`${op.summary}${former}\n\n${how}${op.deprecated ? '\n@deprecated upstream' : ''}`, indent);
    text += `${indent}${method}(params: ${op.paramsType}, options?: CallOptions): Promise<${op.resultType}>;\n`;
    return text;
  };
  for (const [group, members] of groups) {
    out += `/** \`client.${group}\`: ${members.map((m) => `${group}.${m.method}`).join(', ')}. */\n`;
    out += `export interface ${pascal(group)}Group {\n`;
    const nested = new Map();
    for (const { method, op } of members) {
      const dot = method.indexOf('.');
      if (dot < 0) {
        out += member(method, op, '  ');
      } else {
        const sub = method.slice(0, dot);
        if (!nested.has(sub)) nested.set(sub, []);
        nested.get(sub).push([method.slice(dot + 1), op]);
      }
    }
    for (const [sub, items] of nested) {
      out += `  readonly ${sub}: {\n`;
      for (const [method, op] of items) out += member(method, op, '    ');
      out += '  };\n';
    }
    out += '}\n\n';
  }
  out += '/** The groups a `ContactsClient` has, by property name. */\nexport interface ContactsClientGroups {\n';
  for (const group of groups.keys()) out += `  readonly ${group}: ${pascal(group)}Group;\n`;
  out += '}\n\n';

  // One union per way of arriving: what a webhook verifier hands on, and
  // what a poll returns (every event carries its `dedupeId`).
  const union_of = (list) => {
    const byEvent = new Map();
    for (const t of list) {
      if (!byEvent.has(t.eventType)) byEvent.set(t.eventType, []);
      byEvent.get(t.eventType).push(t.type);
    }
    let u = '';
    for (const [eventType, kinds] of byEvent) {
      u += `  | (${eventType} & { type: ${union(kinds.map((k) => JSON.stringify(k)))}; dedupeId: string })\n`;
    }
    return u;
  };
  const webhook = triggers.filter((t) => t.delivery !== 'poll');
  const polled = triggers.filter((t) => t.delivery !== 'webhook');
  out += '/** A verified webhook event: its payload with `type` and `dedupeId`. Unknown types are kept whole. */\nexport type WebhookEvent =\n';
  out += union_of(webhook);
  out += '  | { type: string; dedupeId: string; [key: string]: unknown };\n\n';
  out += '/** A polled event: the webhook payload of the same change, with `type` and the same `dedupeId`. */\nexport type PolledEvent =\n';
  out += union_of(polled).replace(/\n$/, ';\n\n');
  out += `/** The name of every webhook trigger. */\nexport type WebhookEventType = ${union(webhook.map((t) => JSON.stringify(t.type)))};\n\n`;
  out += `/** The name of every trigger a poll reports. */\nexport type PolledTriggerType = ${union(polled.map((t) => JSON.stringify(t.type)))};\n\n`;
  out += `/** The stable codes of \`ContactsError\`. */\nexport type ContactsErrorCode = ${union(catalog.errorCodes.map((c) => JSON.stringify(c)))};\n`;
  out += `\n/** A comparison operator of the condition language. */\nexport type ConditionOperator = ${union(catalog.language.operators.map((o) => JSON.stringify(o.name)))};\n`;
  out += `\n/** A filter of the template language (\`{{path | filter}}\`). */\nexport type TemplateFilter = ${union(catalog.language.filters.map((f) => JSON.stringify(f.name)))};\n`;
  return out;
}

function main() {
  const catalog = JSON.parse(readFileSync(catalogPath, 'utf8'));
  const text = generate(catalog);
  if (process.argv.includes('--check')) {
    const current = readFileSync(outputPath, 'utf8');
    if (current !== text) {
      console.error(`${outputPath} is out of date: run node wasm/js/scripts/gen-types.mjs`);
      process.exit(1);
    }
    console.log('generated.d.ts is up to date');
    return;
  }
  writeFileSync(outputPath, text);
  console.log(`wrote ${outputPath} (${text.length} bytes)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
