'use strict';
// processUploads(): finished uploads only, /run payload, failures put the video back, lock, time budget.
const test = require('node:test');
const assert = require('node:assert/strict');
const { makeWorld, plain, FOLDERS, MINUTE_MS } = require('./harness');

test('normal flow: a finished upload moves to 02-processing and starts one job with the contract input', () => {
  const w = makeWorld({ props: { DEFAULT_TASK: '{"load_kg": 12, "coupling": "fair"}' }, noAdvancedDrive: true });
  const id = w.upload('montaz linka.mp4', { sizeB: 40e6 });
  const first = w.gs.processUploads();
  assert.equal(first.waiting, 1, 'first sighting only notes the size');
  assert.equal(w.runpod.runCalls().length, 0);
  w.advance(5 * MINUTE_MS);
  assert.equal(w.gs.processUploads().submitted, 1);

  assert.equal(w.drive.parentOf(id), FOLDERS.processing);
  const [call] = w.runpod.runCalls();
  assert.equal(call.url, 'https://api.runpod.ai/v2/abc123endpoint/run');
  assert.equal(call.method, 'post');
  assert.equal(call.options.headers.Authorization, 'Bearer rp_test_key');
  assert.deepEqual(call.payload, {
    input: { file_id: id, file_name: 'montaz linka.mp4', folders: FOLDERS, language: 'cs',
      task: { load_kg: 12, coupling: 'fair' } },
    policy: { executionTimeout: 800 * 1000 }, // 40 MB at 0.5 MB/s ≈ 80 s of video, × 10
  });
  assert.ok(!JSON.stringify(call.payload).includes('rp_test_key'), 'no secret in the job input');
  const [[jobId, record]] = w.records('HF_JOB_');
  assert.equal(jobId, 'job-1');
  assert.deepEqual(plain(JSON.parse(record)), { file_id: id, file_name: 'montaz linka.mp4', job_id: 'job-1',
    status: 'IN_QUEUE', submitted_ms: w.clock.ms, timeout_ms: 800000 });
  assert.deepEqual(w.records('HF_SEEN_'), [], 'the size note is dropped once submitted');
  assert.deepEqual(w.records('HF_PENDING_'), []);
  assert.deepEqual(w.events(), ['SUBMITTED']);
  assert.equal(w.mail.sent.length, 0);

  w.advance(5 * MINUTE_MS);
  w.gs.processUploads();
  assert.equal(w.runpod.runCalls().length, 1, 'a submitted video is never submitted again');
});

test('executionTimeout follows the video duration from Drive metadata, within 600 s and 24 h', () => {
  const w = makeWorld();
  const short = w.upload('short.mp4', { sizeB: 900e6 });
  const long = w.upload('long.mov', { sizeB: 1e6 });
  const huge = w.upload('shift.mp4', { sizeB: 1e6 });
  w.gs.Drive.Files.get = (fileId) => ({ videoMediaMetadata: { durationMillis: { [short]: '30000', [long]: '250500', [huge]: String(12 * 3600e3) }[fileId] } });
  w.submitStable();
  const timeouts = Object.fromEntries(w.runpod.runCalls().map((c) => [c.payload.input.file_name, c.payload.policy.executionTimeout]));
  assert.deepEqual(timeouts, { 'short.mp4': 600000, 'long.mov': 2505000, 'shift.mp4': 86400000 });
});

test('partial upload: a growing file is skipped until its size holds still for a minute', () => {
  const w = makeWorld();
  const id = w.upload('growing.mp4', { sizeB: 10e6, ageMs: 0 });
  w.gs.processUploads();
  w.advance(5 * MINUTE_MS);
  w.drive.grow(id, 20e6);
  assert.equal(w.gs.processUploads().waiting, 1, 'size changed since the last run');
  w.advance(30 * 1000);
  assert.equal(w.gs.processUploads().waiting, 1, 'same size, but only for 30 s');
  assert.equal(w.drive.parentOf(id), FOLDERS.upload);
  w.advance(MINUTE_MS);
  assert.equal(w.gs.processUploads().submitted, 1);
  assert.equal(w.runpod.runCalls().length, 1);
});

test('partial upload: a file modified moments ago is skipped even when the size matches', () => {
  const w = makeWorld();
  const id = w.upload('sync.mp4', { sizeB: 10e6 });
  w.gs.processUploads();
  w.advance(5 * MINUTE_MS);
  w.drive.files.get(id).updatedMs = w.clock.ms - 10 * 1000;
  assert.equal(w.gs.processUploads().submitted, 0);
  w.advance(MINUTE_MS);
  assert.equal(w.gs.processUploads().submitted, 1);
});

test('partial upload: old file times (a synced copy keeps its mtime) still need the size to hold for a minute', () => {
  const w = makeWorld();
  const id = w.upload('copied.mp4', { sizeB: 10e6, ageMs: 3 * 24 * 60 * MINUTE_MS });
  w.gs.processUploads();
  w.advance(20 * 1000);
  assert.equal(w.gs.processUploads().submitted, 0, 'size seen unchanged for only 20 s');
  w.advance(50 * 1000);
  assert.equal(w.gs.processUploads().submitted, 1);
  assert.equal(w.drive.parentOf(id), FOLDERS.processing);
});

test('an empty file is never submitted', () => {
  const w = makeWorld();
  w.upload('empty.mp4', { sizeB: 0 });
  w.submitStable();
  w.advance(5 * MINUTE_MS);
  w.gs.processUploads();
  assert.equal(w.runpod.runCalls().length, 0);
});

test('non-video files and FAILED-prefixed videos stay in 01-upload untouched', () => {
  const w = makeWorld();
  const ignored = [
    w.upload('notes.pdf', { mime: 'application/pdf' }),
    w.upload('photo.jpg', { mime: 'image/jpeg' }),
    w.upload('plan.mp4', { mime: 'application/vnd.google-apps.document' }),
    w.upload('FAILED - lift.mp4'),
  ];
  const byExtension = w.upload('camera.MTS', { mime: 'application/octet-stream' });
  const byMime = w.upload('clip', { mime: 'video/quicktime' });
  w.submitStable();
  assert.deepEqual(w.runpod.runCalls().map((c) => c.payload.input.file_id).sort(), [byExtension, byMime].sort());
  ignored.forEach((id) => {
    assert.equal(w.drive.parentOf(id), FOLDERS.upload);
    assert.deepEqual(w.drive.opsFor(id), []);
  });
});

test('/run refused (bad key): video back in 01-upload with the prefix, e-mail naming the property, batch stops', () => {
  const w = makeWorld({ props: { LANGUAGE: 'en' } });
  const a = w.upload('a.mp4');
  const b = w.upload('b.mp4');
  w.gs.processUploads();
  w.advance(5 * MINUTE_MS);
  w.runpod.apiKey = 'rotated-key';
  const report = w.gs.processUploads();
  assert.equal(report.submitFailed, 1);
  assert.equal(w.runpod.runCalls().length, 1, 'the second video is not tried against a refusing endpoint');
  assert.equal(w.drive.parentOf(a), FOLDERS.upload);
  assert.equal(w.drive.nameOf(a), 'FAILED - a.mp4');
  assert.deepEqual(w.drive.opsFor(a, 'moveTo').map((o) => o.value), [FOLDERS.processing, FOLDERS.upload]);
  assert.equal(w.drive.nameOf(b), 'b.mp4');
  assert.deepEqual(w.drive.opsFor(b), []);
  assert.deepEqual(w.records('HF_JOB_'), []);
  assert.deepEqual(w.records('HF_PENDING_'), []);
  assert.equal(w.mail.sent.length, 1);
  const mail = w.mail.sent[0];
  assert.equal(mail.to, 'ergonom@example.com,safety@example.com');
  assert.equal(mail.subject, 'Ergonomic analysis failed: a.mp4');
  assert.match(mail.body, /could not be started/);
  assert.match(mail.body, /RunPod rejected the API key \(HTTP 401\)\. Check the script property RUNPOD_API_KEY/);
  assert.match(mail.body, /back in 01-upload as "FAILED - a\.mp4"\. To try again, remove the "FAILED - " prefix/);
  assert.deepEqual(w.events(), ['SUBMIT_FAILED']);
});

test('/run unreachable: video back unprefixed and retried; after 3 failed runs it is prefixed and mailed', () => {
  const w = makeWorld();
  const id = w.upload('a.mp4');
  w.gs.processUploads();
  w.runpod.runAnswers.push({ code: 503, body: 'no healthy upstream' }, { throws: 'Address unavailable: https://api.runpod.ai' },
    { code: 429, body: { error: 'rate limited' } });
  for (let attempt = 1; attempt <= 2; attempt++) {
    w.advance(5 * MINUTE_MS);
    assert.equal(w.gs.processUploads().retried, 1, `attempt ${attempt}`);
    assert.equal(w.drive.parentOf(id), FOLDERS.upload);
    assert.equal(w.drive.nameOf(id), 'a.mp4');
    assert.equal(w.mail.sent.length, 0, 'transient failures do not mail');
  }
  w.advance(5 * MINUTE_MS);
  assert.equal(w.gs.processUploads().submitFailed, 1);
  assert.equal(w.drive.nameOf(id), 'FAILED - a.mp4');
  assert.equal(w.drive.parentOf(id), FOLDERS.upload);
  assert.match(w.mail.sent[0].body, /RunPod nebyl dostupný ani na 3\. pokus \(HTTP 429\)/);
  assert.deepEqual(w.events(), ['RETRY', 'RETRY', 'SUBMIT_FAILED']);
  assert.deepEqual(w.records('HF_RUNFAIL_'), []);
});

test('a transient failure followed by success clears the retry count', () => {
  const w = makeWorld();
  const id = w.upload('a.mp4');
  w.gs.processUploads();
  w.runpod.runAnswers.push({ code: 502, body: 'bad gateway' });
  w.advance(5 * MINUTE_MS);
  w.gs.processUploads();
  assert.deepEqual(w.records('HF_RUNFAIL_'), [[id, '1']]);
  w.advance(5 * MINUTE_MS);
  assert.equal(w.gs.processUploads().submitted, 1);
  assert.deepEqual(w.records('HF_RUNFAIL_'), []);
  assert.equal(w.drive.parentOf(id), FOLDERS.processing);
});

test('/run answering 200 without a job id counts as a refusal', () => {
  const w = makeWorld({ props: { LANGUAGE: 'en' } });
  const id = w.upload('a.mp4');
  w.gs.processUploads();
  w.runpod.runAnswers.push({ code: 200, body: { status: 'weird' } });
  w.advance(5 * MINUTE_MS);
  w.gs.processUploads();
  assert.equal(w.drive.nameOf(id), 'FAILED - a.mp4');
  assert.match(w.mail.sent[0].body, /RunPod refused the request \(HTTP 200\)/);
});

test('overlapping triggers: a run that cannot get the lock does nothing', () => {
  const w = makeWorld();
  w.upload('a.mp4');
  w.gs.processUploads();
  w.advance(5 * MINUTE_MS);
  const other = w.gs.LockService.getScriptLock();
  assert.ok(other.tryLock(0));
  assert.equal(w.gs.processUploads(), 'skipped');
  assert.equal(w.gs.tick(), 'skipped');
  assert.equal(w.gs.checkJobs(), 'skipped');
  assert.equal(w.runpod.runCalls().length, 0);
  other.releaseLock();
  assert.equal(w.gs.processUploads().submitted, 1);
});

test('overlapping triggers: a second run starting mid-submission never submits the same file', () => {
  const w = makeWorld();
  const id = w.upload('a.mp4');
  w.gs.processUploads();
  w.advance(5 * MINUTE_MS);
  const nested = [];
  w.runpod.onFetch = () => { nested.push(w.gs.processUploads(), w.gs.tick()); };
  w.gs.processUploads();
  assert.deepEqual(nested, ['skipped', 'skipped']);
  assert.equal(w.runpod.runCalls().length, 1);
  assert.equal(w.drive.opsFor(id, 'moveTo').length, 1);
  assert.equal(w.lock.holder, null, 'the lock is released');
});

test('time budget: work stops being started near the 6-minute limit and resumes on the next run', () => {
  const w = makeWorld();
  const ids = Array.from({ length: 8 }, (_, i) => w.upload(`v${i}.mp4`));
  w.gs.processUploads();
  w.advance(5 * MINUTE_MS);
  w.runpod.onFetch = () => w.advance(70 * 1000); // each /run answers slowly
  const runStartMs = w.clock.ms;
  const report = w.gs.processUploads();
  assert.equal(report.submitted, 4, '4 × 70 s = 280 s > the 240 s budget');
  assert.ok(w.clock.ms - runStartMs < 6 * MINUTE_MS, 'the run ended inside the execution limit');
  assert.equal(ids.filter((id) => w.drive.parentOf(id) === FOLDERS.upload).length, 4);
  assert.equal(w.records('HF_SEEN_').length, 4, 'unscanned files keep their size notes');
  w.advance(5 * MINUTE_MS);
  assert.equal(w.gs.processUploads().submitted, 4);
  assert.ok(ids.every((id) => w.drive.parentOf(id) === FOLDERS.processing));
  assert.equal(w.runpod.runCalls().length, 8);
});

test('at most 10 new jobs per run', () => {
  const w = makeWorld();
  for (let i = 0; i < 12; i++) w.upload(`v${i}.mp4`);
  w.gs.processUploads();
  w.advance(5 * MINUTE_MS);
  assert.equal(w.gs.processUploads().submitted, 10);
  w.advance(5 * MINUTE_MS);
  assert.equal(w.gs.processUploads().submitted, 2);
});

test('size notes of files that left 01-upload are forgotten', () => {
  const w = makeWorld();
  const id = w.upload('a.mp4');
  w.gs.processUploads();
  assert.equal(w.records('HF_SEEN_').length, 1);
  w.drive.files.get(id).trashed = true;
  w.gs.processUploads();
  assert.deepEqual(w.records('HF_SEEN_'), []);
});

test('a video left in 02-processing by a killed run goes back to 01-upload and is submitted again', () => {
  const w = makeWorld();
  const stale = w.drive.addFile({ name: 'stale.mp4', parent: FOLDERS.processing, ageMs: 30 * MINUTE_MS });
  const fresh = w.drive.addFile({ name: 'fresh.mp4', parent: FOLDERS.processing, ageMs: 30 * MINUTE_MS });
  w.scriptProps.setProperty(`HF_PENDING_${stale}`, JSON.stringify({ file_id: stale, file_name: 'stale.mp4', at_ms: w.clock.ms - 20 * MINUTE_MS }));
  w.scriptProps.setProperty(`HF_PENDING_${fresh}`, JSON.stringify({ file_id: fresh, file_name: 'fresh.mp4', at_ms: w.clock.ms - 2 * MINUTE_MS }));
  w.gs.processUploads();
  assert.equal(w.drive.parentOf(stale), FOLDERS.upload);
  assert.equal(w.drive.nameOf(stale), 'stale.mp4');
  assert.equal(w.drive.parentOf(fresh), FOLDERS.processing, 'a recent marker may belong to a run still working');
  assert.deepEqual(w.records('HF_PENDING_').map(([k]) => k), [fresh]);
  assert.deepEqual(w.events(), ['RESTORED']);
  w.advance(5 * MINUTE_MS);
  w.gs.processUploads();
  assert.deepEqual(w.runpod.runCalls().map((c) => c.payload.input.file_name), ['stale.mp4']);
});
