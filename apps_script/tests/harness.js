'use strict';
/**
 * Loads the Apps Script project (every apps_script/*.gs file, as Apps Script does: one global scope) into a
 * Node `vm` context wired to the fakes, with a set-up Drive: the five hot folders and valid script properties.
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { FakeDrive, FakeRunPod, FakeProperties, FakeLockService, FakeMail, FakeSheets, FakeScriptApp } = require('./fakes');

const PROJECT_DIR = path.join(__dirname, '..');
const START_MS = Date.UTC(2026, 11, 3, 8, 0, 0);
const MINUTE_MS = 60000;
const FOLDERS = {
  upload: 'folder-01-upload',
  processing: 'folder-02-processing',
  completed: 'folder-03-completed',
  archive: 'folder-04-archive',
  logs: 'folder-05-logs',
};

function validProperties() {
  return {
    RUNPOD_API_KEY: 'rp_test_key',
    RUNPOD_ENDPOINT_ID: 'abc123endpoint',
    FOLDER_UPLOAD_ID: FOLDERS.upload,
    FOLDER_PROCESSING_ID: FOLDERS.processing,
    FOLDER_COMPLETED_ID: FOLDERS.completed,
    FOLDER_ARCHIVE_ID: FOLDERS.archive,
    FOLDER_LOGS_ID: FOLDERS.logs,
    NOTIFY_EMAIL: 'ergonom@example.com, safety@example.com',
  };
}

/**
 * @param {{props?: Object, omit?: string[], durationsMs?: Object<string, number>, noAdvancedDrive?: boolean,
 *   setup?: boolean}} opts properties to add or override, property names to leave out, video durations the
 *   advanced Drive service reports per file ID, no advanced Drive service, run setup() first (default true).
 */
function makeWorld(opts = {}) {
  const clock = { ms: START_MS };
  const props = { ...validProperties(), ...(opts.props || {}) };
  (opts.omit || []).forEach((k) => delete props[k]);
  const drive = new FakeDrive(clock);
  Object.entries(FOLDERS).forEach(([role, id]) => drive.addFolder(id, role));
  drive.addFolder('root', 'My Drive');
  const runpod = new FakeRunPod({ endpointId: props.RUNPOD_ENDPOINT_ID, apiKey: props.RUNPOD_API_KEY });
  const scriptProps = new FakeProperties(props);
  const userProps = new FakeProperties({});
  const lock = new FakeLockService();
  const mail = new FakeMail();
  const sheets = new FakeSheets(drive);
  const scriptApp = new FakeScriptApp();
  const logs = [];
  const durationsMs = opts.durationsMs || {};

  const sandbox = {
    DriveApp: drive.api(),
    Drive: {
      Files: {
        get: (id) => {
          if (!(id in durationsMs)) throw new Error('videoMediaMetadata not available yet');
          return { videoMediaMetadata: { durationMillis: String(durationsMs[id]) } };
        },
      },
    },
    UrlFetchApp: { fetch: (url, options) => runpod.fetch(url, options) },
    PropertiesService: { getScriptProperties: () => scriptProps, getUserProperties: () => userProps },
    LockService: lock,
    MailApp: mail.api(),
    GmailApp: { sendEmail: () => { throw new Error('the script sends through MailApp'); } },
    SpreadsheetApp: sheets.api(),
    ScriptApp: scriptApp.api(),
    Utilities: {
      sleep: (ms) => { clock.ms += ms; },
      formatDate: (date) => new Date(date.getTime()).toISOString().replace('T', ' ').slice(0, 19),
    },
    Logger: { log: (...args) => { logs.push(args.join(' ')); } },
    Session: { getScriptTimeZone: () => 'Europe/Prague', getEffectiveUser: () => ({ getEmail: () => 'ergonom@example.com' }) },
  };
  if (opts.noAdvancedDrive) delete sandbox.Drive;
  const context = vm.createContext(sandbox);
  fs.readdirSync(PROJECT_DIR).filter((f) => f.endsWith('.gs')).sort().forEach((file) => {
    vm.runInContext(fs.readFileSync(path.join(PROJECT_DIR, file), 'utf8'), context, { filename: file });
  });
  context.CLOCK.nowMs = () => clock.ms;

  const world = {
    gs: context, clock, drive, runpod, scriptProps, userProps, lock, mail, sheets, scriptApp, logs,
    advance(ms) { clock.ms += ms; },
    /** Drops a video into 01-upload; by default it finished uploading 10 minutes ago. */
    upload(name, extra = {}) { return drive.addFile({ name, parent: FOLDERS.upload, ageMs: 10 * MINUTE_MS, ...extra }); },
    /** Runs processUploads twice, five minutes apart: the first run only notes sizes. */
    submitStable() {
      world.gs.processUploads();
      world.advance(5 * MINUTE_MS);
      return world.gs.processUploads();
    },
    /** Script-property records with a prefix, parsed (JOB_ records are JSON). */
    records(prefix) {
      return Object.entries(scriptProps.store).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]);
    },
    events() { return sheets.rows().slice(1).map((r) => r[1]); },
  };
  if (opts.setup !== false) context.setup();
  return world;
}

/** Plain copy of a value made in the vm context (other realm), for deepStrictEqual. */
function plain(value) { return JSON.parse(JSON.stringify(value)); }

module.exports = { makeWorld, validProperties, plain, FOLDERS, MINUTE_MS, START_MS };
