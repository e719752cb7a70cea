'use strict';
// checkJobs(): RunPod /status outcomes → e-mail, job log, and the video visible to the user again.
const test = require('node:test');
const assert = require('node:assert/strict');
const { makeWorld, FOLDERS, MINUTE_MS } = require('./harness');

/** A world with one submitted job for `name` (still in 02-processing); returns [world, fileId, jobId]. */
function withJob(name = 'lift.mp4', opts = {}) {
  const w = makeWorld(opts);
  const id = w.upload(name, { sizeB: 50e6 });
  w.submitStable();
  w.advance(5 * MINUTE_MS);
  return [w, id, 'job-1'];
}

function successOutput() {
  return {
    status: 'success', job_id: 'job-1', video: { name: 'lift.mp4', duration_s: 94.24, fps: 30, frames_analysed: 2827 },
    summary: {
      reba: { max_score: 9, worse_side: 'left', max_action_level: 3, time_pct_by_action_level: { 3: 12 } },
      rula: { max_score: 6, worse_side: 'right', max_action_level: 3 },
      owas: { max_action_level: 2 },
    },
    drive: { result_folder_id: 'res-folder-1', result_folder_url: 'https://drive.google.com/drive/folders/res-folder-1',
      files: [{ name: 'lift_report.xlsx', id: 'x1', url: 'https://drive.google.com/file/d/x1/view' },
        { name: 'lift_annotated.mp4', id: 'x2', url: 'https://drive.google.com/file/d/x2/view' }],
      archived_file_id: 'f', log_file_id: 'l' },
    warnings: ['Person not visible in 4 % of frames'],
  };
}

/** The worker's own moves: original archived on success, back to 01-upload prefixed on expected failure. */
function workerArchives(w, id) { w.drive.files.get(id).parents = new Set([FOLDERS.archive]); }
function workerReturnsFailed(w, id) {
  const f = w.drive.files.get(id);
  f.parents = new Set([FOLDERS.upload]);
  f.name = `FAILED - ${f.name}`;
}

test('job completed: e-mail to every address with the result links and headline scores; nothing moved twice', () => {
  const [w, id, jobId] = withJob('lift.mp4', { props: { LANGUAGE: 'en' } });
  Object.assign(w.runpod.jobs[jobId], { status: 'COMPLETED', output: successOutput() });
  workerArchives(w, id);
  const movesBefore = w.drive.opsFor(id).length;
  assert.equal(w.gs.checkJobs().completed, 1);

  assert.equal(w.drive.opsFor(id).length, movesBefore, 'the worker already archived the video');
  assert.equal(w.mail.sent.length, 1);
  const mail = w.mail.sent[0];
  assert.equal(mail.to, 'ergonom@example.com,safety@example.com');
  assert.equal(mail.subject, 'Ergonomic analysis ready: lift.mp4');
  assert.equal(mail.name, 'Ergonomic analysis');
  for (const expected of [
    'Results (03-completed folder): https://drive.google.com/drive/folders/res-folder-1',
    '  - lift_report.xlsx: https://drive.google.com/file/d/x1/view',
    '  - lift_annotated.mp4: https://drive.google.com/file/d/x2/view',
    '  REBA: max score 9, action level 3 — high risk, action necessary soon (worse side: left)',
    '  RULA: max score 6, action level 3 — investigation and changes required soon (worse side: right)',
    '  OWAS: highest action category 2 — corrective action in the near future',
    'Video: 94.2 s, 2827 frames analysed.',
    '  - Person not visible in 4 % of frames',
    'RunPod job: job-1',
  ]) assert.ok(mail.body.split('\n').includes(expected), `missing line: ${expected}\n---\n${mail.body}`);
  assert.match(mail.body, /Log of all jobs: https:\/\/docs\.google\.com\/spreadsheets\/d\//);
  assert.match(mail.htmlBody, /<a href="https:\/\/drive\.google\.com\/drive\/folders\/res-folder-1">/);
  assert.deepEqual(w.records('HF_JOB_'), []);
  const row = w.sheets.rows().at(-1);
  assert.deepEqual([row[1], row[4], row[5], row[6], row[7]],
    ['COMPLETED', jobId, 9, 6, 'https://drive.google.com/drive/folders/res-folder-1']);
});

test('job completed but the original still in 02-processing: it is archived', () => {
  const [w, id, jobId] = withJob();
  Object.assign(w.runpod.jobs[jobId], { status: 'COMPLETED', output: successOutput() });
  w.gs.checkJobs();
  assert.equal(w.drive.parentOf(id), FOLDERS.archive);
  assert.equal(w.drive.nameOf(id), 'lift.mp4');
});

test('completed job with a result folder ID only still links it; no summary says so', () => {
  const [w, , jobId] = withJob('a.mp4', { props: { LANGUAGE: 'en' } });
  Object.assign(w.runpod.jobs[jobId], { status: 'COMPLETED', output: { status: 'success', drive: { result_folder_id: 'res9' } } });
  w.gs.checkJobs();
  assert.match(w.mail.sent[0].body, /Results \(03-completed folder\): https:\/\/drive\.google\.com\/drive\/folders\/res9/);
  assert.match(w.mail.sent[0].body, /The result has no summary scores/);
});

test('queued and running jobs are kept and polled again; the start is logged once', () => {
  const [w, id, jobId] = withJob();
  assert.equal(w.gs.checkJobs().running, 1);
  w.runpod.jobs[jobId].status = 'IN_PROGRESS';
  w.gs.checkJobs();
  w.gs.checkJobs();
  assert.deepEqual(w.events(), ['SUBMITTED', 'STARTED']);
  assert.equal(JSON.parse(w.scriptProps.getProperty(`HF_JOB_${jobId}`)).status, 'IN_PROGRESS');
  assert.equal(w.drive.parentOf(id), FOLDERS.processing);
  assert.equal(w.mail.sent.length, 0);
  assert.equal(w.runpod.calls.filter((c) => c.url.endsWith(`/status/${jobId}`)).length, 3);
});

test('job failed after the worker put the video back prefixed: e-mail with its error, no second move or rename', () => {
  const [w, id, jobId] = withJob();
  workerReturnsFailed(w, id);
  Object.assign(w.runpod.jobs[jobId], { status: 'FAILED', output: { error: 'Ve videu nebyl nalezen žádný člověk. Natočte celou postavu.' } });
  const opsBefore = w.drive.opsFor(id).length;
  assert.equal(w.gs.checkJobs().failed, 1);
  assert.equal(w.drive.opsFor(id).length, opsBefore);
  assert.equal(w.drive.nameOf(id), 'FAILED - lift.mp4');
  const mail = w.mail.sent[0];
  assert.equal(mail.subject, 'Ergonomická analýza se nezdařila: lift.mp4');
  assert.match(mail.body, /Důvod: Ve videu nebyl nalezen žádný člověk\. Natočte celou postavu\./);
  assert.match(mail.body, /Video je zpět ve složce 01-upload jako „FAILED - lift\.mp4“\. Pro nový pokus odstraňte/);
  assert.deepEqual(w.records('HF_JOB_'), []);
  assert.equal(w.events().at(-1), 'FAILED');
});

test('job failed with the video still in 02-processing (worker crashed): it is moved back with the prefix', () => {
  const [w, id, jobId] = withJob('lift.mp4', { props: { LANGUAGE: 'en' } });
  const traceback = `Traceback (most recent call last):\n${'  File "x.py", line 1\n'.repeat(200)}MemoryError: out of memory`;
  Object.assign(w.runpod.jobs[jobId], { status: 'FAILED', error: traceback });
  w.gs.checkJobs();
  assert.equal(w.drive.parentOf(id), FOLDERS.upload);
  assert.equal(w.drive.nameOf(id), 'FAILED - lift.mp4');
  const body = w.mail.sent[0].body;
  assert.match(body, /Reason: …/);
  assert.match(body, /MemoryError: out of memory/, 'the tail of the traceback, where the exception is, is kept');
  assert.ok(body.length < 2500, `traceback cut (${body.length} chars)`);
  w.advance(10 * MINUTE_MS);
  w.gs.processUploads();
  w.advance(10 * MINUTE_MS);
  w.gs.processUploads();
  assert.equal(w.runpod.runCalls().length, 1, 'a failed video is not resubmitted by itself');
});

test('job failed after the worker renamed but did not move the video: moved back, prefix not doubled', () => {
  const [w, id, jobId] = withJob();
  w.drive.files.get(id).name = 'FAILED - lift.mp4';
  w.runpod.jobs[jobId].status = 'FAILED';
  w.gs.checkJobs();
  assert.equal(w.drive.parentOf(id), FOLDERS.upload);
  assert.equal(w.drive.nameOf(id), 'FAILED - lift.mp4');
});

test('a FAILED job whose error is RunPod\'s JSON shows the error message', () => {
  const [w, , jobId] = withJob('a.mp4', { props: { LANGUAGE: 'en' } });
  Object.assign(w.runpod.jobs[jobId], { status: 'FAILED',
    error: JSON.stringify({ error_type: 'VideoError', error_message: 'The file is not a readable video.', error_traceback: 'long' }) });
  w.gs.checkJobs();
  assert.match(w.mail.sent[0].body, /^Reason: VideoError: The file is not a readable video\.$/m);
});

test('COMPLETED with an {"error"} output is reported as a failure', () => {
  const [w, id, jobId] = withJob('a.mp4', { props: { LANGUAGE: 'en' } });
  Object.assign(w.runpod.jobs[jobId], { status: 'COMPLETED', output: { error: 'No person detected in enough frames.' } });
  w.gs.checkJobs();
  assert.equal(w.mail.sent[0].subject, 'Ergonomic analysis failed: a.mp4');
  assert.match(w.mail.sent[0].body, /Reason: No person detected in enough frames\./);
  assert.equal(w.drive.nameOf(id), 'FAILED - a.mp4');
  assert.equal(w.events().at(-1), 'FAILED');
});

test('timed-out job: e-mail names the allowed minutes; video back in 01-upload', () => {
  const [w, id, jobId] = withJob('lift.mp4', { props: { LANGUAGE: 'en' } });
  w.runpod.jobs[jobId].status = 'TIMED_OUT';
  w.gs.checkJobs();
  // 50 MB at 0.5 MB/s ≈ 100 s of video, × 10 = 1000 s ≈ 17 min
  assert.match(w.mail.sent[0].body, /took longer than the allowed 17 min and was stopped/);
  assert.match(w.mail.sent[0].body, /Reason: RunPod gave no reason\./);
  assert.equal(w.drive.parentOf(id), FOLDERS.upload);
  assert.equal(w.drive.nameOf(id), 'FAILED - lift.mp4');
  assert.equal(w.events().at(-1), 'TIMED_OUT');
});

test('cancelled job: Czech e-mail, video back in 01-upload', () => {
  const [w, id, jobId] = withJob();
  w.runpod.jobs[jobId].status = 'CANCELLED';
  w.gs.checkJobs();
  assert.match(w.mail.sent[0].body, /^Analýza videa „lift\.mp4“ byla v RunPod zrušena\.$/m);
  assert.equal(w.drive.parentOf(id), FOLDERS.upload);
});

test('lost job (404 on /status): e-mail pointing to 03-completed, video restored if still in 02-processing', () => {
  const [w, id, jobId] = withJob('lift.mp4', { props: { LANGUAGE: 'en' } });
  delete w.runpod.jobs[jobId];
  w.gs.checkJobs();
  const body = w.mail.sent[0].body;
  assert.match(body, /RunPod no longer knows the job for "lift\.mp4"/);
  assert.match(body, /Look into 03-completed/);
  assert.equal(w.drive.parentOf(id), FOLDERS.upload);
  assert.equal(w.drive.nameOf(id), 'FAILED - lift.mp4');
  assert.deepEqual(w.records('HF_JOB_'), []);
  assert.equal(w.events().at(-1), 'LOST');
});

test('lost job whose video the worker archived: the video is left where it is', () => {
  const [w, id, jobId] = withJob('lift.mp4', { props: { LANGUAGE: 'en' } });
  workerArchives(w, id);
  delete w.runpod.jobs[jobId];
  const opsBefore = w.drive.opsFor(id).length;
  w.gs.checkJobs();
  assert.equal(w.drive.opsFor(id).length, opsBefore);
  assert.match(w.mail.sent[0].body, /The original video is in 04-archive\./);
});

test('failed job whose video was deleted meanwhile: the e-mail says so', () => {
  const [w, id, jobId] = withJob('lift.mp4', { props: { LANGUAGE: 'en' } });
  w.drive.files.get(id).trashed = true;
  w.runpod.jobs[jobId].status = 'FAILED';
  w.gs.checkJobs();
  assert.match(w.mail.sent[0].body, /no longer in Google Drive/);
});

test('RunPod errors on /status (5xx, network) keep the job for the next run', () => {
  const [w, id, jobId] = withJob();
  w.runpod.statusCodes[jobId] = 502;
  assert.equal(w.gs.checkJobs().running, 1);
  assert.equal(w.records('HF_JOB_').length, 1);
  assert.equal(w.mail.sent.length, 0);
  delete w.runpod.statusCodes[jobId];
  w.runpod.onFetch = () => { throw new Error('DNS error: api.runpod.ai'); };
  assert.equal(w.gs.checkJobs().running, 1);
  w.runpod.onFetch = null;
  Object.assign(w.runpod.jobs[jobId], { status: 'COMPLETED', output: successOutput() });
  workerArchives(w, id);
  assert.equal(w.gs.checkJobs().completed, 1);
});

test('a rejected key on /status stops the run with a message naming RUNPOD_API_KEY and keeps the jobs', () => {
  const [w, , jobId] = withJob('a.mp4', { props: { LANGUAGE: 'en' } });
  w.runpod.jobs[jobId].status = 'COMPLETED';
  w.runpod.apiKey = 'rotated';
  assert.throws(() => w.gs.checkJobs(), /RunPod rejected the API key \(HTTP 401\)\. Check the script property RUNPOD_API_KEY/);
  assert.equal(w.records('HF_JOB_').length, 1);
  assert.equal(w.lock.holder, null);
});

test('time budget: slow status answers stop polling; the remaining jobs are polled on the next run', () => {
  const w = makeWorld();
  for (let i = 0; i < 6; i++) w.upload(`v${i}.mp4`);
  w.submitStable();
  Object.values(w.runpod.jobs).forEach((job) => { job.status = 'CANCELLED'; });
  w.runpod.onFetch = () => w.advance(100 * 1000);
  assert.equal(w.gs.checkJobs().failed, 3, '3 × 100 s ≥ 240 s');
  assert.equal(w.records('HF_JOB_').length, 3);
  w.runpod.onFetch = null;
  assert.equal(w.gs.checkJobs().failed, 3);
  assert.equal(w.mail.sent.length, 6);
});

test('daily e-mail quota used up: the job is still finished and the job log says the mail was not sent', () => {
  const [w, id, jobId] = withJob();
  w.mail.quota = 1; // two recipients
  Object.assign(w.runpod.jobs[jobId], { status: 'COMPLETED', output: successOutput() });
  workerArchives(w, id);
  w.gs.checkJobs();
  assert.equal(w.mail.sent.length, 0);
  assert.deepEqual(w.events().slice(-2), ['COMPLETED', 'MAIL_NOT_SENT']);
  assert.match(w.sheets.rows().at(-1)[8], /daily e-mail quota/);
  assert.deepEqual(w.records('HF_JOB_'), []);
});

test('tick(): finished jobs are reported and new uploads started in the same run', () => {
  const [w, id, jobId] = withJob();
  Object.assign(w.runpod.jobs[jobId], { status: 'COMPLETED', output: successOutput() });
  workerArchives(w, id);
  const next = w.upload('next.mp4');
  w.gs.tick();
  w.advance(5 * MINUTE_MS);
  const report = w.gs.tick();
  assert.equal(w.mail.sent.length, 1);
  assert.equal(report.submitted, 1);
  assert.equal(w.drive.parentOf(next), FOLDERS.processing);
  assert.deepEqual(w.records('HF_JOB_').map(([k]) => k), ['job-2']);
});

test('tick(): when checking jobs uses up the time budget, no uploads are started in that run', () => {
  const w = makeWorld();
  for (let i = 0; i < 3; i++) w.upload(`v${i}.mp4`);
  w.submitStable();
  const next = w.upload('next.mp4');
  w.gs.processUploads();
  w.advance(5 * MINUTE_MS);
  w.runpod.onFetch = () => w.advance(100 * 1000);
  w.gs.tick();
  assert.equal(w.drive.parentOf(next), FOLDERS.upload);
  assert.equal(w.runpod.runCalls().length, 3);
});

test('state records edited by hand into garbage do not stop the runs', () => {
  const w = makeWorld();
  const id = w.upload('a.mp4');
  w.scriptProps.setProperty('HF_JOB_broken', 'not json');
  w.scriptProps.setProperty('HF_PENDING_broken', '{');
  w.scriptProps.setProperty(`HF_SEEN_${id}`, '42');
  w.gs.tick();
  w.advance(5 * MINUTE_MS);
  assert.equal(w.gs.tick().submitted, 1);
  assert.equal(w.scriptProps.getProperty('HF_PENDING_broken'), null);
  assert.equal(w.scriptProps.getProperty('HF_JOB_broken'), null);
  assert.ok(w.logs.some((line) => line.includes('unreadable job record HF_JOB_broken')));
});
