// In `astro dev`: the loader publishes the history it holds after each save (pages read it at
// request time), tells the browsers to reload, and puts the save into Astro's data store only once
// the tree has stayed unchanged (files that come or go at once); the dev integration has the server
// load the saved store again by itself.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { memlintLoader } from '../src/loader.ts';
import { clearLive, isLive, liveEntries, liveEntry, reloadBrowsers, setLiveServer } from '../src/live.ts';
import { memlintDev } from '../src/integration.ts';
import { copyExample, tempDir } from '../../../test/support/run.ts';

type Listener = (file: string) => void;

/** Astro's loader context in `astro dev`, as far as the loader uses it: a store, and a watcher to emit on. */
function devContext(collection = 'documents') {
  const store = new Map<string, { data: Record<string, unknown>; digest?: string }>();
  const listeners: Record<string, Listener[]> = { add: [], change: [], unlink: [] };
  const sets: string[] = [];
  return {
    store,
    sets,
    emit: (kind: 'add' | 'change' | 'unlink', file: string) => listeners[kind]!.forEach((l) => l(file)),
    context: {
      collection,
      store: {
        set: (e: { id: string; data: Record<string, unknown>; digest?: string }) => {
          const same = store.get(e.id)?.digest === e.digest;
          store.set(e.id, e);
          if (!same) sets.push(e.id);
          return !same;
        },
        delete: (id: string) => void store.delete(id),
        keys: () => [...store.keys()],
      },
      generateDigest: (d: Record<string, unknown> | string) => String(JSON.stringify(d).length) + String(JSON.stringify(d)).slice(-40),
      logger: { info: () => {}, error: () => {} },
      watcher: {
        add: () => {},
        on: (kind: 'add' | 'change' | 'unlink', listener: Listener) => void listeners[kind]!.push(listener),
      },
    },
  };
}

const until = async (test: () => boolean, timeoutMs = 5000) => {
  const started = Date.now();
  while (!test()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

afterEach(() => clearLive());

describe('the dev server reads the history the loader holds', () => {
  it('publishes a save at once, and puts it into the store once the tree stays unchanged', async () => {
    const tree = copyExample('apm-v1', path.join(tempDir('live'), 'tree'));
    const dev = devContext();
    expect(isLive()).toBe(false);
    await memlintLoader('documents', { memory: tree, devStoreDelayMs: 400 }).load(dev.context);
    expect(isLive()).toBe(true);
    // The published entries are the store's, shaped as getCollection returns them.
    const ids = liveEntries('documents')!.map((e) => e.id);
    expect(ids.sort()).toEqual([...dev.store.keys()].sort());
    const handoff = liveEntries('documents')!.find((e) => String(e.data.file).endsWith('handoff-02.log.md'))!;
    expect(handoff.collection).toBe('documents');
    expect(dev.store.get(handoff.id)!.data).toEqual(handoff.data);

    const file = path.join(tree, '.apm', 'memory', 'handoffs', 'backend-agent', 'handoff-02.log.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^incoming: \d+$/m, 'incoming: 97'));
    dev.sets.length = 0;
    dev.emit('change', file);
    await until(() => JSON.stringify(liveEntry('documents', handoff.id)?.data.findings).includes('handoff-instances'));
    // Published, the store not touched yet: Astro would save and import it whole.
    expect(dev.sets).toEqual([]);
    expect(JSON.stringify(dev.store.get(handoff.id)!.data.findings)).not.toContain('handoff-instances');
    await until(() => dev.sets.includes(handoff.id), 3000);
    expect(dev.store.get(handoff.id)!.data).toEqual(liveEntry('documents', handoff.id)!.data);
  });

  it('a burst of saves reaches the store once, after the last', async () => {
    const tree = copyExample('apm-v1', path.join(tempDir('live-burst'), 'tree'));
    const dev = devContext();
    await memlintLoader('documents', { memory: tree, devStoreDelayMs: 1500 }).load(dev.context);
    const file = path.join(tree, '.apm', 'memory', 'handoffs', 'backend-agent', 'handoff-02.log.md');
    const text = readFileSync(file, 'utf8');
    const id = liveEntries('documents')!.find((e) => String(e.data.file).endsWith('handoff-02.log.md'))!.id;
    dev.sets.length = 0;
    for (let i = 1; i <= 4; i++) {
      writeFileSync(file, `${text}\n- save ${i}\n`);
      dev.emit('change', file);
      await until(() => String(liveEntry('documents', id)?.data.html).includes(`save ${i}`));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(dev.sets).toEqual([]);
    await until(() => dev.sets.length > 0, 3000);
    expect(dev.sets).toEqual([id]);
    expect(String(dev.store.get(id)!.data.html)).toContain('save 4');
  });

  it('a file that comes or goes reaches the store at once (the routes are Astro\'s)', async () => {
    const tree = copyExample('apm-v1', path.join(tempDir('live-add'), 'tree'));
    const dev = devContext();
    await memlintLoader('documents', { memory: tree, devStoreDelayMs: 60_000 }).load(dev.context);
    const before = dev.store.size;
    const added = path.join(tree, '.apm', 'memory', 'notes.md');
    writeFileSync(added, '# Notes\n\nA new file.\n');
    dev.emit('add', added);
    await until(() => dev.store.size === before + 1);
    expect(liveEntries('documents')!.length).toBe(before + 1);
  });

  it('an edit that makes or removes entries (another agent\'s name) reaches the store at once', async () => {
    const tree = copyExample('apm-v1', path.join(tempDir('live-ids'), 'tree'));
    const dev = devContext('agents');
    await memlintLoader('agents', { memory: tree, devStoreDelayMs: 60_000 }).load(dev.context);
    const before = [...dev.store.keys()].sort();
    const file = path.join(tree, '.apm', 'memory', 'handoffs', 'backend-agent', 'handoff-02.log.md');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^agent: .+$/m);
    writeFileSync(file, text.replace(/^agent: .+$/m, 'agent: Data Agent'));
    dev.emit('change', file);
    await until(() => [...dev.store.keys()].sort().join() !== before.join());
    expect(liveEntries('agents')!.map((e) => e.id).sort()).toEqual([...dev.store.keys()].sort());
  });

  it('answers only the collections a memlint loader fills, and ignores an editor\'s swap files', async () => {
    const tree = copyExample('apm-v1', path.join(tempDir('live-own'), 'tree'));
    const dev = devContext('memory-handoffs');
    await memlintLoader('handoffs', { memory: tree, devStoreDelayMs: 50 }).load(dev.context);
    // The Astro collection is `memory-handoffs`: a site's own `handoffs` (another loader) is not memlint's.
    expect(liveEntries('memory-handoffs')!.length).toBe(dev.store.size);
    expect(liveEntries('handoffs')).toBeNull();
    expect(liveEntries('rules')).toBeNull();
    // A fresh array each call: a page that sorts it does not reorder the history.
    liveEntries('memory-handoffs')!.reverse();
    expect(liveEntries('memory-handoffs')!.map((e) => e.id)).toEqual([...dev.store.keys()]);
    const published = liveEntries('memory-handoffs');
    const dir = path.join(tree, '.apm', 'memory', 'handoffs', 'backend-agent');
    for (const name of ['.handoff-02.log.md.swp', 'handoff-02.log.md~', '4913']) {
      writeFileSync(path.join(dir, name), 'x');
      dev.emit('add', path.join(dir, name));
    }
    await new Promise((r) => setTimeout(r, 300));
    // Nothing was read again: the very same entries.
    expect(liveEntry('memory-handoffs', published![0]!.id)).toBe(published![0]);
  });

  it('tells the browsers to reload once a save is published', async () => {
    const sent: unknown[] = [];
    setLiveServer({ environments: { client: { hot: { send: (p: unknown) => sent.push(p) } } } });
    const tree = copyExample('apm-v1', path.join(tempDir('live-reload'), 'tree'));
    const dev = devContext('handoffs');
    await memlintLoader('handoffs', { memory: tree, devStoreDelayMs: 50 }).load(dev.context);
    expect(sent).toEqual([]);
    const file = path.join(tree, '.apm', 'memory', 'handoffs', 'backend-agent', 'handoff-02.log.md');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nMore.\n`);
    dev.emit('change', file);
    await until(() => sent.length > 0);
    expect(sent).toEqual([{ type: 'full-reload', path: '*' }]);
    // Without a server (a build, a stopped server) nothing is sent and nothing throws.
    setLiveServer(null);
    expect(() => reloadBrowsers()).not.toThrow();
  });

  it('publishes nothing in a build (no watcher): the pages read the store', async () => {
    const tree = copyExample('apm-v1', path.join(tempDir('live-build'), 'tree'));
    const { context } = devContext();
    await memlintLoader('documents', { memory: tree }).load({ ...context, watcher: undefined });
    expect(isLive()).toBe(false);
    expect(liveEntries('documents')).toBeNull();
    expect(liveEntry('documents', 'anything')).toBeNull();
  });
});

describe('memlintDev', () => {
  it('requests a page once Astro has saved its data store, and for no other file', async () => {
    const root = tempDir('live-dev-integration');
    const requests: string[] = [];
    const http = createServer((req, res) => {
      requests.push(`${req.url} ${req.headers['x-memlint']}`);
      res.statusCode = req.url === '/docs/' ? 200 : 404;
      res.end('ok');
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const port = (http.address() as { port: number }).port;
    try {
      const listeners: Listener[] = [];
      const lines: string[] = [];
      const integration = memlintDev();
      integration.hooks['astro:config:done']({ config: { root: pathToFileURL(`${root}/`), base: '/docs/' } });
      integration.hooks['astro:server:setup']({
        server: { watcher: { on: (_event, listener) => void listeners.push(listener) }, resolvedUrls: { local: [`http://127.0.0.1:${port}/`] } },
        logger: { info: (m) => lines.push(m), warn: (m) => lines.push(m) },
      });
      listeners.forEach((l) => l(path.join(root, 'src', 'pages', 'index.astro')));
      await new Promise((r) => setTimeout(r, 200));
      expect(requests).toEqual([]);
      // Several events for one save: one request.
      for (let i = 0; i < 3; i++) listeners.forEach((l) => l(path.join(root, '.astro', 'data-store.json')));
      await until(() => lines.length > 0);
      // The site's root, under Astro's base.
      expect(requests).toEqual(['/docs/ reload-store']);
      expect(lines[0]).toMatch(/^data store loaded again in \d+ ms/);
      integration.hooks['astro:server:done']();
      // A root that does not answer is not reported as loaded.
      const other = memlintDev();
      const otherListeners: Listener[] = [];
      const otherLines: string[] = [];
      other.hooks['astro:config:done']({ config: { root: pathToFileURL(`${root}/`) } });
      other.hooks['astro:server:setup']({
        server: { watcher: { on: (_event, listener) => void otherListeners.push(listener) }, resolvedUrls: { local: [`http://127.0.0.1:${port}/`] } },
        logger: { info: (m) => otherLines.push(`info ${m}`), warn: (m) => otherLines.push(m), debug: (m) => otherLines.push(`debug ${m}`) },
      });
      otherListeners.forEach((l) => l(path.join(root, '.astro', 'data-store.json')));
      await until(() => otherLines.length > 0);
      expect(otherLines).toEqual(['debug could not load the data store again: / answered 404']);
      other.hooks['astro:server:done']();
    } finally {
      http.close();
    }
  });
});
