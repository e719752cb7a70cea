'use strict';
/**
 * In-memory fakes of the Apps Script services the hot-folder script uses, sharing one simulated clock
 * (`world.clock.ms`, ms since epoch). Each fake records what was done to it so tests can assert on effects:
 * Drive moves/renames, HTTP calls, e-mails, sheet rows, triggers, lock attempts.
 */

class FakeIterator {
  constructor(items) { this.items = items.slice(); this.i = 0; }
  hasNext() { return this.i < this.items.length; }
  next() {
    if (!this.hasNext()) throw new Error('Cannot retrieve the next object: iterator has reached the end.');
    return this.items[this.i++];
  }
}

/** DriveApp: folders and files with parents; files keep size, MIME type, times (ms) and a trash flag. */
class FakeDrive {
  constructor(clock) {
    this.clock = clock;
    this.folders = new Map();
    this.files = new Map();
    this.ops = []; // {op: 'moveTo'|'setName', fileId, value}
    this.nextId = 1;
  }

  addFolder(id, name) { this.folders.set(id, { id, name }); return id; }

  /** Adds a file; ageMs sets both creation and last-update time that far before the clock. */
  addFile({ name, parent, sizeB = 1000000, mime = 'video/mp4', ageMs = 0, id }) {
    const fileId = id || `file-${String(this.nextId++).padStart(6, '0')}`;
    const t = this.clock.ms - ageMs;
    this.files.set(fileId, { id: fileId, name, sizeB, mime, createdMs: t, updatedMs: t, parents: new Set([parent]),
      trashed: false });
    return fileId;
  }

  /** Simulates more bytes arriving (a partial upload growing). */
  grow(fileId, sizeB) { const f = this.files.get(fileId); f.sizeB = sizeB; f.updatedMs = this.clock.ms; }

  parentOf(fileId) { return [...this.files.get(fileId).parents][0]; }

  nameOf(fileId) { return this.files.get(fileId).name; }

  opsFor(fileId, op) { return this.ops.filter((o) => o.fileId === fileId && (!op || o.op === op)); }

  folderApi(id) {
    const drive = this;
    const folder = this.folders.get(id);
    return {
      getId: () => id,
      getName: () => folder.name,
      getUrl: () => `https://drive.google.com/drive/folders/${id}`,
      // Trashed files are listed too: a trashed file keeps its parents, so the script must check.
      getFiles: () => new FakeIterator([...drive.files.values()]
        .filter((f) => f.parents.has(id)).map((f) => drive.fileApi(f.id))),
    };
  }

  fileApi(fileId) {
    const drive = this;
    const f = () => drive.files.get(fileId);
    return {
      getId: () => fileId,
      getName: () => f().name,
      setName: (name) => { f().name = name; f().updatedMs = drive.clock.ms; drive.ops.push({ op: 'setName', fileId, value: name }); },
      getSize: () => f().sizeB,
      getMimeType: () => f().mime,
      getUrl: () => `https://drive.google.com/file/d/${fileId}/view`,
      getDateCreated: () => new Date(f().createdMs),
      getLastUpdated: () => new Date(f().updatedMs),
      isTrashed: () => f().trashed,
      getParents: () => new FakeIterator([...f().parents].filter((p) => drive.folders.has(p)).map((p) => drive.folderApi(p))),
      moveTo: (folder) => {
        f().parents = new Set([folder.getId()]);
        drive.ops.push({ op: 'moveTo', fileId, value: folder.getId() });
      },
    };
  }

  api() {
    return {
      getFolderById: (id) => {
        if (!this.folders.has(id)) throw new Error(`No item with the given ID could be found: ${id}`);
        return this.folderApi(id);
      },
      getFileById: (id) => {
        if (!this.files.has(id)) throw new Error(`No item with the given ID could be found: ${id}`);
        return this.fileApi(id);
      },
    };
  }
}

/**
 * RunPod's serverless API behind UrlFetchApp. POST /run creates job-N in IN_QUEUE; tests set
 * `jobs[id].status/output/error`, queue canned answers in `runAnswers` ({code, body} or {throws}), or
 * answer /status with `statusCodes[id]`. `onFetch(call)` runs before each answer (clock, overlap tests).
 */
class FakeRunPod {
  constructor({ endpointId, apiKey }) {
    this.endpointId = endpointId;
    this.apiKey = apiKey;
    this.jobs = {};
    this.calls = [];
    this.runAnswers = [];
    this.statusCodes = {};
    this.healthCode = 200;
    this.nextId = 1;
    this.onFetch = null;
  }

  fetch(url, options) {
    const call = { url, method: (options.method || 'get').toLowerCase(), options,
      payload: options.payload ? JSON.parse(options.payload) : null };
    this.calls.push(call);
    if (options.muteHttpExceptions !== true) throw new Error('test requires muteHttpExceptions: true');
    if (this.onFetch) this.onFetch(call);
    const answer = this.answer(call);
    if (answer.throws) throw new Error(answer.throws);
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return { getResponseCode: () => answer.code, getContentText: () => text };
  }

  answer(call) {
    const base = `https://api.runpod.ai/v2/${this.endpointId}`;
    if (call.options.headers.Authorization !== `Bearer ${this.apiKey}`) return { code: 401, body: 'Unauthorized' };
    if (call.url === `${base}/run` && call.method === 'post') {
      if (this.runAnswers.length) return this.runAnswers.shift();
      const id = `job-${this.nextId++}`;
      this.jobs[id] = { status: 'IN_QUEUE', input: call.payload.input, policy: call.payload.policy };
      return { code: 200, body: { id, status: 'IN_QUEUE' } };
    }
    if (call.url === `${base}/health` && call.method === 'get') {
      return { code: this.healthCode, body: { jobs: { inQueue: 0 }, workers: { idle: 0 } } };
    }
    const m = /\/status\/([^/]+)$/.exec(call.url);
    if (m && call.url.startsWith(base) && call.method === 'get') {
      const id = decodeURIComponent(m[1]);
      if (this.statusCodes[id]) return { code: this.statusCodes[id], body: '<html>error</html>' };
      const job = this.jobs[id];
      if (!job) return { code: 404, body: { error: 'request does not exist' } };
      const body = { id, status: job.status };
      if (job.output !== undefined) body.output = job.output;
      if (job.error !== undefined) body.error = job.error;
      return { code: 200, body };
    }
    return { code: 404, body: { error: 'no such route' } };
  }

  runCalls() { return this.calls.filter((c) => c.url.endsWith('/run')); }
}

class FakeProperties {
  constructor(initial) { this.store = { ...initial }; }
  getProperty(k) { return Object.prototype.hasOwnProperty.call(this.store, k) ? this.store[k] : null; }
  setProperty(k, v) { this.store[k] = String(v); return this; }
  deleteProperty(k) { delete this.store[k]; return this; }
  getProperties() { return { ...this.store }; }
  setProperties(obj, deleteAllOthers) { if (deleteAllOthers) this.store = {}; Object.assign(this.store, obj); return this; }
  getKeys() { return Object.keys(this.store); }
  deleteAllProperties() { this.store = {}; return this; }
}

/** One script lock shared by all executions; each getScriptLock() call is a separate execution's handle. */
class FakeLockService {
  constructor() { this.holder = null; this.attempts = []; }
  getScriptLock() {
    const svc = this;
    const lock = {
      tryLock(ms) {
        svc.attempts.push(ms);
        if (svc.holder === null || svc.holder === lock) { svc.holder = lock; return true; }
        return false;
      },
      waitLock(ms) { if (!lock.tryLock(ms)) throw new Error('Lock timeout: another process was holding the lock for too long.'); },
      releaseLock() { if (svc.holder === lock) svc.holder = null; },
      hasLock() { return svc.holder === lock; },
    };
    return lock;
  }
}

class FakeMail {
  constructor() { this.sent = []; this.quota = 100; }
  api() {
    return {
      getRemainingDailyQuota: () => this.quota,
      sendEmail: (a, subject, body, opts) => {
        const msg = typeof a === 'object' ? { ...a } : { to: a, subject, body, ...(opts || {}) };
        const recipients = String(msg.to).split(',').length;
        if (this.quota < recipients) throw new Error('Service invoked too many times for one day: email.');
        this.quota -= recipients;
        this.sent.push(msg);
      },
    };
  }
}

/** SpreadsheetApp: spreadsheets are also Drive files (created in "root"), each with one sheet of rows. */
class FakeSheets {
  constructor(drive) { this.drive = drive; this.books = new Map(); this.created = 0; }
  api() {
    return {
      create: (name) => {
        this.created += 1;
        const id = this.drive.addFile({ name, parent: 'root', mime: 'application/vnd.google-apps.spreadsheet', sizeB: 0 });
        this.books.set(id, { name, rows: [], frozen: 0 });
        return this.bookApi(id);
      },
      openById: (id) => {
        if (!this.books.has(id)) throw new Error(`Unexpected error while getting the method or property openById: ${id}`);
        return this.bookApi(id);
      },
    };
  }
  bookApi(id) {
    const book = this.books.get(id);
    const sheet = {
      appendRow: (row) => { book.rows.push(row.map((v) => v)); return sheet; },
      getLastRow: () => book.rows.length,
      setFrozenRows: (n) => { book.frozen = n; },
    };
    return { getId: () => id, getName: () => book.name, getUrl: () => `https://docs.google.com/spreadsheets/d/${id}/edit`,
      getSheets: () => [sheet] };
  }
  /** Rows of the only spreadsheet (the job log). */
  rows() { return [...this.books.values()][0]?.rows || []; }
}

class FakeScriptApp {
  constructor() { this.triggers = []; this.nextId = 1; }
  api() {
    return {
      getProjectTriggers: () => this.triggers.slice(),
      deleteTrigger: (t) => { this.triggers = this.triggers.filter((x) => x !== t); },
      newTrigger: (handler) => {
        const spec = { handler };
        const builder = {
          timeBased: () => builder,
          everyMinutes: (n) => {
            if (![1, 5, 10, 15, 30].includes(n)) throw new Error(`everyMinutes must be 1, 5, 10, 15 or 30, got ${n}`);
            spec.everyMinutes = n;
            return builder;
          },
          create: () => {
            const t = { getHandlerFunction: () => handler, getUniqueId: () => String(this.nextId++), spec };
            this.triggers.push(t);
            return t;
          },
        };
        return builder;
      },
    };
  }
  handlers() { return this.triggers.map((t) => t.getHandlerFunction()); }
}

module.exports = { FakeDrive, FakeRunPod, FakeProperties, FakeLockService, FakeMail, FakeSheets, FakeScriptApp, FakeIterator };
