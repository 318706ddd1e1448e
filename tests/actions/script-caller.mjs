// Calls an action script exactly the way QueueScope's engine does (models/queues/scripts/README.md):
// expands its `--! include:` lines (as ActionScript::builtIn does), reads the script's `--!`
// header, expands the key and argv templates for one queue, appends the item groups, runs
// EVALSHA (EVAL after NOSCRIPT) and checks/parses the reply {done, skipped, more, details[,
// cursor]}. Nothing in here is per script: a header the engine could not drive fails here too.
//
//   const retry = loadScript('bullmq-retry');
//   const out = await retry.call(redis, { prefix: 'bull', queue: 'emails', mode: 'ids', items: ['7'] });
//   out.done, out.skipped, out.more, out.details ([{id, reason}]), out.cursor, out.ms, out.serverMs
//   const calls = await retry.runAll(redis, { prefix, queue, limit: 1000 });  // loops while more
//
// Also exports `frameworks`: require() of the npm packages installed in tests/queues.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const MODELS = fileURLToPath(new URL('../../models/', import.meta.url));
// Where ActionScript::builtIn's resources come from (models/CMakeLists.txt qs_add_action_scripts):
// each framework's scripts/ and scripts/include/, and the shared includes of queues/scripts/.
export const SCRIPT_DIRS = readdirSync(join(MODELS, 'frameworks'))
  .sort()
  .map((framework) => join(MODELS, 'frameworks', framework, 'scripts'))
  .filter((dir) => existsSync(dir));
export const INCLUDE_DIRS = [join(MODELS, 'queues', 'scripts', 'include')].concat(
  SCRIPT_DIRS.map((dir) => join(dir, 'include')),
);

// The path of <name>.lua in the first of `dirs` that has it, null when none has.
function findFile(dirs, name) {
  for (const dir of dirs) {
    const path = join(dir, `${name}.lua`);
    if (existsSync(path)) return path;
  }
  return null;
}
const requireFromFixtures = createRequire(new URL('../queues/package.json', import.meta.url));
export const frameworks = {
  require: (name) => requireFromFixtures(name),
};

const NAMED = new Set(['mode', 'limit', 'now', 'cutoff', 'reset', 'state', 'cursor', 'delayed']);
const SEP = '\x06\x16';

// The `--! <field>: <value>` line's field and value, or null for any other line.
function headerLine(raw) {
  const line = raw.trim();
  if (!line.startsWith('--!')) return null;
  const colon = line.indexOf(':');
  if (colon < 0) return { field: '', value: '' };
  return { field: line.slice(3, colon).trim(), value: line.slice(colon + 1).trim() };
}

// As ActionScript's expandIncludes (scripts/README.md): every `--! include: <name>` line is
// replaced by the lines of include/<name>.lua, expanded the same way, each include inlined once.
// load(name) returns the include's text or null.
export function expandIncludes(source, load = readInclude) {
  const out = [];
  const stack = [];
  const included = new Set();
  const where = () => (stack.length ? `include/${stack[stack.length - 1]}.lua` : 'the script');
  const expand = (text) => {
    for (const line of text.split('\n')) {
      const header = headerLine(line);
      if (!header || (header.field !== 'include' && !stack.length)) {
        out.push(line);
        continue;
      }
      if (header.field !== 'include') {
        throw new Error(`${where()}: header line '${line.trim()}' belongs in the top-level script`);
      }
      const name = header.value;
      if (!/^[A-Za-z0-9_-]+$/.test(name)) {
        throw new Error(`${where()}: bad include name '${name}' (letters, digits, '-', '_')`);
      }
      if (stack.includes(name)) throw new Error(`include cycle: ${[...stack, name].join(' -> ')}`);
      if (included.has(name)) continue; // inlined once per script
      let include = load(name);
      if (include === null || include === undefined) {
        throw new Error(`missing include '${name}' (include/${name}.lua, named in ${where()})`);
      }
      if (include.endsWith('\n')) include = include.slice(0, -1); // the directive's line end stays
      included.add(name);
      stack.push(name);
      expand(include);
      stack.pop();
    }
  };
  expand(source);
  return out.join('\n');
}

function readInclude(name) {
  const path = findFile(INCLUDE_DIRS, name);
  return path === null ? null : readFileSync(path, 'utf8');
}

export function parseHeader(name, source) {
  const header = {};
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('--!')) continue;
    const colon = line.indexOf(':');
    if (colon < 0) throw new Error(`${name}: header line without ':': ${line}`);
    const field = line.slice(3, colon).trim();
    const words = line.slice(colon + 1).split(/\s+/).filter(Boolean);
    if (field === 'keys' || field === 'argv' || field === 'items') header[field] = words;
    else if (field === 'returns') {
      if (words.length !== 1 || !['standard', 'cursor'].includes(words[0])) {
        throw new Error(`${name}: unknown return kind ${words.join(' ')}`);
      }
      header.returns = words[0];
    } else throw new Error(`${name}: unknown header field ${field}`);
  }
  for (const field of ['keys', 'argv', 'items', 'returns']) {
    if (!header[field]) throw new Error(`${name}: the header needs a "${field}" line`);
  }
  for (const word of [...header.keys, ...header.argv]) {
    const unknown = [...word.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((f) => !['p', 'q', 'ns', 'sep'].includes(f));
    if (unknown.length) throw new Error(`${name}: unknown placeholder {${unknown[0]}} in "${word}"`);
  }
  return header;
}

function expandTemplate(template, { prefix, queue, ns = '' }) {
  return template.replace(/\{(p|q|ns|sep)\}/g, (_, field) => (
    { p: prefix, q: queue, ns, sep: SEP }[field]
  ));
}

function toText(value) {
  return Buffer.isBuffer(value) ? value.toString() : String(value);
}

export class ActionScript {
  constructor(name) {
    this.name = name;
    const raw = readFileSync(findFile(SCRIPT_DIRS, name) ?? `${name}.lua`, 'utf8');
    try {
      this.source = expandIncludes(raw);
    } catch (error) {
      throw new Error(`${name}: ${error.message}`);
    }
    this.header = parseHeader(name, this.source);
    this.sha = createHash('sha1').update(this.source).digest('hex');
  }

  // KEYS and ARGV as the engine builds them: an argv word is a named value or a template (a word
// without placeholders is a literal); items are appended group by group.
  command({ prefix = 'bull', queue, items = [], ...params }) {
    const now = params.now ?? Date.now();
    const named = {
      mode: 'ids', limit: 1000, now, cutoff: now, reset: 0, state: '', cursor: '0', delayed: 0,
      ...params,
    };
    const context = { prefix, queue, ns: params.ns ?? '' };
    const keys = this.header.keys.map((k) => expandTemplate(k, context));
    const argv = this.header.argv.map((a) => (NAMED.has(a) ? String(named[a]) : expandTemplate(a, context)));
    for (const item of items) {
      const group = Array.isArray(item) ? item : [item];
      if (group.length !== this.header.items.length) {
        throw new Error(`${this.name}: item groups are [${this.header.items}], got [${group}]`);
      }
      argv.push(...group.map(String));
    }
    if (items.length > 0 && this.header.items.length === 0) {
      throw new Error(`${this.name} takes no items`);
    }
    return { keys, argv };
  }

  async call(redis, options) {
    const { keys, argv } = this.command(options);
    const started = performance.now();
    let reply;
    try {
      reply = await redis.evalsha(this.sha, keys.length, ...keys, ...argv);
    } catch (error) {
      if (!String(error.message).includes('NOSCRIPT')) throw error;
      reply = await redis.eval(this.source, keys.length, ...keys, ...argv);
    }
    const ms = performance.now() - started;
    const outcome = this.parse(reply);
    outcome.ms = ms;
    outcome.serverMs = options.serverTime ? await this.serverTime(redis, keys[0]) : null;
    return outcome;
  }

  parse(reply) {
    const cursor = this.header.returns === 'cursor';
    if (!Array.isArray(reply) || reply.length !== (cursor ? 5 : 4)) {
      throw new Error(`${this.name}: reply outside the contract: ${JSON.stringify(reply)}`);
    }
    const [done, skipped, more, details] = reply;
    for (const n of [done, skipped, more]) {
      if (!Number.isInteger(n)) throw new Error(`${this.name}: non-integer count in ${JSON.stringify(reply)}`);
    }
    if (!Array.isArray(details) || details.length % 2 !== 0 || details.length > 200) {
      throw new Error(`${this.name}: bad details ${JSON.stringify(details)}`);
    }
    if (more !== 0 && more !== 1) throw new Error(`${this.name}: more must be 0/1`);
    const pairs = [];
    for (let i = 0; i < details.length; i += 2) {
      pairs.push({ id: toText(details[i]), reason: toText(details[i + 1]) });
    }
    const outcome = { done, skipped, more: more === 1, details: pairs, cursor: '0' };
    if (cursor) {
      outcome.cursor = toText(reply[4]);
      if ((outcome.cursor !== '0') !== outcome.more) {
        throw new Error(`${this.name}: more=${more} but cursor=${outcome.cursor}`);
      }
    }
    outcome.reasonFor = (id) => pairs.find((p) => p.id === String(id))?.reason ?? null;
    return outcome;
  }

  // Time Redis itself spent in the last call of this script, from SLOWLOG (redis-server.mjs logs
  // calls of 1 ms or more): null when the call took less (or the entry was not found).
  async serverTime(redis, firstKey) {
    const entries = await redis.slowlog('GET', 16);
    for (const [, , micros, args] of entries) {
      const command = toText(args[0]).toUpperCase();
      const ours = (command === 'EVALSHA' && toText(args[1]) === this.sha) ||
        (command === 'EVAL' && toText(args[1]).startsWith(this.source.slice(0, 60)));
      if (ours && toText(args[3]) === firstKey) return micros / 1000;
    }
    return null;
  }

  // Batch mode as the engine loops it: call again while more=1, carrying the cursor.
  async runAll(redis, options) {
    const calls = [];
    let cursor = '0';
    for (;;) {
      const outcome = await this.call(redis, { mode: 'all', ...options, cursor });
      calls.push(outcome);
      if (!outcome.more) break;
      cursor = outcome.cursor;
      if (calls.length > 100000) throw new Error(`${this.name}: batch mode does not terminate`);
    }
    const total = (field) => calls.reduce((sum, c) => sum + c[field], 0);
    calls.done = total('done');
    calls.skipped = total('skipped');
    calls.ms = total('ms');
    return calls;
  }
}

const cache = new Map();
export function loadScript(name) {
  if (!cache.has(name)) cache.set(name, new ActionScript(name));
  return cache.get(name);
}
