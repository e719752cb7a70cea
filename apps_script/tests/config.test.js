'use strict';
// Script properties, setup() and the trigger: clear messages naming what is missing, idempotent set-up.
const test = require('node:test');
const assert = require('node:assert/strict');
const { makeWorld, FOLDERS } = require('./harness');

test('missing properties: one message naming every missing property, in Czech by default', () => {
  const w = makeWorld({ setup: false, omit: ['RUNPOD_API_KEY', 'FOLDER_ARCHIVE_ID', 'NOTIFY_EMAIL'] });
  assert.throws(() => w.gs.setup(), (err) => {
    assert.equal(err.name, 'ConfigError');
    assert.match(err.message, /^Chybí vlastnosti skriptu: RUNPOD_API_KEY, FOLDER_ARCHIVE_ID, NOTIFY_EMAIL\./);
    assert.match(err.message, /setup\(\)/);
    return true;
  });
  assert.equal(w.scriptApp.triggers.length, 0, 'no trigger without a valid configuration');
  assert.equal(w.sheets.created, 0);
});

test('missing properties in English when LANGUAGE=en; blank values count as missing', () => {
  const w = makeWorld({ setup: false, props: { LANGUAGE: 'en', RUNPOD_ENDPOINT_ID: '   ' } });
  assert.throws(() => w.gs.setup(), /^ConfigError: Missing script properties: RUNPOD_ENDPOINT_ID\. Add them in the Apps Script project/);
});

test('the trigger itself fails loudly on missing properties (Google mails the owner) and touches nothing', () => {
  const w = makeWorld();
  w.upload('a.mp4');
  delete w.scriptProps.store.FOLDER_UPLOAD_ID;
  assert.throws(() => w.gs.tick(), /FOLDER_UPLOAD_ID/);
  assert.equal(w.lock.holder, null, 'the lock is released after the failure');
  assert.equal(w.runpod.runCalls().length, 0);
});

test('invalid values are all reported at once, by property name', () => {
  const w = makeWorld({ setup: false, props: {
    LANGUAGE: 'de', FOLDER_LOGS_ID: FOLDERS.archive, NOTIFY_EMAIL: 'ergonom@example.com; not-an-address',
    FOLDER_COMPLETED_ID: 'https://drive.google.com/drive/folders/abc', DEFAULT_TASK: '{"load_kg": 12, "weight": 3}',
  } });
  assert.throws(() => w.gs.setup(), (err) => {
    const m = err.message;
    assert.match(m, /^Neplatné vlastnosti skriptu:/);
    assert.match(m, /LANGUAGE musí být „cs“ nebo „en“ \(nyní „de“\)/);
    assert.match(m, /FOLDER_COMPLETED_ID není ID složky/);
    assert.match(m, /FOLDER_ARCHIVE_ID a FOLDER_LOGS_ID jsou stejná složka/);
    assert.match(m, /neplatnou adresu „not-an-address“/);
    assert.match(m, /DEFAULT_TASK .*unknown key\(s\) weight/);
    return true;
  });
});

test('DEFAULT_TASK must be a JSON object', () => {
  for (const bad of ['[1,2]', 'load_kg=5', 'null']) {
    const w = makeWorld({ setup: false, props: { DEFAULT_TASK: bad, LANGUAGE: 'en' } });
    assert.throws(() => w.gs.setup(), /DEFAULT_TASK must be a JSON object/, bad);
  }
});

test('setup() checks that every folder can be opened', () => {
  const w = makeWorld({ setup: false, props: { FOLDER_LOGS_ID: 'folder-that-is-gone', LANGUAGE: 'en' } });
  assert.throws(() => w.gs.setup(), /FOLDER_LOGS_ID: this account cannot open the folder folder-that-is-gone/);
});

test('setup() checks the RunPod key against the endpoint health route', () => {
  const w = makeWorld({ setup: false, props: { LANGUAGE: 'en' } });
  w.runpod.apiKey = 'the-real-key';
  assert.throws(() => w.gs.setup(), /RunPod rejected the API key \(HTTP 401\)\. Check the script property RUNPOD_API_KEY/);
  const call = w.runpod.calls[0];
  assert.equal(call.url, 'https://api.runpod.ai/v2/abc123endpoint/health');
  assert.equal(call.options.headers.Authorization, 'Bearer rp_test_key');
});

test('setup() names RUNPOD_ENDPOINT_ID when RunPod does not know the endpoint', () => {
  const w = makeWorld({ setup: false, props: { LANGUAGE: 'en' } });
  w.runpod.endpointId = 'other-endpoint';
  assert.throws(() => w.gs.setup(), /does not know the endpoint "abc123endpoint" \(HTTP 404\)\. Check the script property RUNPOD_ENDPOINT_ID/);
});

test('setup() creates the job log in 05-logs and one 5-minute trigger', () => {
  const w = makeWorld({ setup: false });
  const summary = w.gs.setup();
  const sheetId = w.scriptProps.getProperty('JOB_LOG_SHEET_ID');
  assert.ok(sheetId);
  assert.equal(w.drive.parentOf(sheetId), FOLDERS.logs);
  assert.equal(w.sheets.rows()[0][1], 'Událost');
  assert.deepEqual(w.scriptApp.handlers(), ['tick']);
  assert.equal(w.scriptApp.triggers[0].spec.everyMinutes, 5);
  assert.match(summary, /Spouštěč vytvořen/);
});

test('setup() is idempotent: a second run keeps the sheet and the trigger, and removes stray old triggers', () => {
  const w = makeWorld();
  const sheetId = w.scriptProps.getProperty('JOB_LOG_SHEET_ID');
  w.gs.ScriptApp.newTrigger('checkJobs').timeBased().everyMinutes(5).create();
  w.gs.ScriptApp.newTrigger('someoneElsesFunction').timeBased().everyMinutes(30).create();
  const summary = w.gs.setup();
  assert.equal(w.sheets.created, 1);
  assert.equal(w.scriptProps.getProperty('JOB_LOG_SHEET_ID'), sheetId);
  assert.deepEqual(w.scriptApp.handlers(), ['tick', 'someoneElsesFunction']);
  assert.match(summary, /Spouštěč už existoval/);
  w.gs.setup();
  assert.deepEqual(w.scriptApp.handlers(), ['tick', 'someoneElsesFunction']);
});

test('setup() recreates the job log when the recorded sheet is gone', () => {
  const w = makeWorld();
  w.scriptProps.setProperty('JOB_LOG_SHEET_ID', 'deleted-sheet-id');
  w.gs.setup();
  assert.equal(w.sheets.created, 2);
  assert.notEqual(w.scriptProps.getProperty('JOB_LOG_SHEET_ID'), 'deleted-sheet-id');
});

test('removeTriggers() removes only this script\'s triggers', () => {
  const w = makeWorld();
  w.gs.ScriptApp.newTrigger('someoneElsesFunction').timeBased().everyMinutes(30).create();
  assert.equal(w.gs.removeTriggers(), 1);
  assert.deepEqual(w.scriptApp.handlers(), ['someoneElsesFunction']);
});

test('the manifest runs on V8 with the scopes the script uses', () => {
  const manifest = require('../appsscript.json');
  assert.equal(manifest.runtimeVersion, 'V8');
  for (const scope of ['drive', 'spreadsheets', 'script.external_request', 'script.scriptapp', 'script.send_mail']) {
    assert.ok(manifest.oauthScopes.includes(`https://www.googleapis.com/auth/${scope}`), scope);
  }
  assert.deepEqual(manifest.dependencies.enabledAdvancedServices.map((s) => s.userSymbol), ['Drive']);
});
