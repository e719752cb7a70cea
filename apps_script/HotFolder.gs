/**
 * Hot-folder flow (part of the Apps Script project; see Code.gs for the entry points and settings):
 * finished uploads → 02-processing → RunPod /run, and RunPod /status → e-mail + video visible again.
 */

// ----------------------------------------------------------------------------------------------------
// 01-upload → 02-processing → RunPod /run
// ----------------------------------------------------------------------------------------------------

/** Submits finished uploads in Drive's listing order, within the run's time and count budget. */
function processUploads_(ctx) {
  var upload = DriveApp.getFolderById(ctx.cfg.folders.upload);
  var processing = DriveApp.getFolderById(ctx.cfg.folders.processing);
  var state = ctx.props.getProperties();
  recoverPending_(ctx, state, upload);
  var present = {};
  var scannedAll = true;
  var files = upload.getFiles();
  while (files.hasNext()) {
    if (!hasTime_(ctx) || ctx.report.submitted >= LIMITS.maxSubmitsPerRun) { scannedAll = false; break; }
    var file = files.next();
    if (file.isTrashed() || !isVideo_(file) || file.getName().indexOf(FAILED_PREFIX) === 0) continue;
    present[file.getId()] = true;
    if (!uploadFinished_(ctx, file, state[STATE.seen + file.getId()])) { ctx.report.waiting += 1; continue; }
    if (!submitFile_(ctx, file, upload, processing, state)) { scannedAll = false; break; }
  }
  // Forget sizes of files that left 01-upload; only after a full scan, so unscanned files keep their history.
  if (scannedAll) {
    Object.keys(state).forEach(function (key) {
      if (key.indexOf(STATE.seen) === 0 && !present[key.slice(STATE.seen.length)]) ctx.props.deleteProperty(key);
    });
  }
}

/**
 * An upload has finished when Drive reports the same non-zero size as on an earlier run at least
 * LIMITS.minStableMs ago and the file was not modified within that time. Records the size otherwise.
 * @param {string|undefined} seenJson the SEEN_ record: {"size_b": bytes, "since_ms": first seen at that size}.
 */
function uploadFinished_(ctx, file, seenJson) {
  var nowMs = CLOCK.nowMs();
  var sizeB = file.getSize();
  var seen = parseRecord_(seenJson);
  if (!seen || seen.size_b !== sizeB) {
    ctx.props.setProperty(STATE.seen + file.getId(), JSON.stringify({ size_b: sizeB, since_ms: nowMs }));
    return false;
  }
  return sizeB > 0 && nowMs - seen.since_ms >= LIMITS.minStableMs && nowMs - lastChangeMs_(file) >= LIMITS.minStableMs;
}

/**
 * Moves one video to 02-processing and starts its job. On a failed /run the video goes back to 01-upload
 * at once: unchanged for a retry on the next run after a transient failure, with the "FAILED - " prefix
 * and an e-mail after a permanent one (bad key or endpoint) or after LIMITS.runAttempts transient ones.
 * @return {boolean} false when the batch should stop (RunPod refused or is unreachable).
 */
function submitFile_(ctx, file, upload, processing, state) {
  var fileId = file.getId();
  var name = file.getName();
  var job = { file_id: fileId, file_name: name };
  // The marker comes first: if the execution dies after the move, the next run puts the video back.
  ctx.props.setProperty(STATE.pending + fileId, JSON.stringify({ file_id: fileId, file_name: name, at_ms: CLOCK.nowMs() }));
  file.moveTo(processing);
  var payload = buildRunPayload_(ctx.cfg, file);
  var res = runpodRequest_(ctx.cfg, 'post', '/run', payload);
  if (res.code === 200 && res.body && res.body.id) {
    job.job_id = String(res.body.id);
    job.status = String(res.body.status || 'IN_QUEUE');
    job.submitted_ms = CLOCK.nowMs();
    job.timeout_ms = payload.policy.executionTimeout;
    ctx.props.setProperty(STATE.job + job.job_id, JSON.stringify(job));
    ctx.props.deleteProperty(STATE.pending + fileId);
    ctx.props.deleteProperty(STATE.seen + fileId);
    ctx.props.deleteProperty(STATE.runFail + fileId);
    ctx.report.submitted += 1;
    logEvent_(ctx, 'SUBMITTED', job, { message: 'executionTimeout ' + Math.round(job.timeout_ms / 1000) + ' s' });
    return true;
  }
  var attempts = Number(state[STATE.runFail + fileId] || 0) + 1;
  var giveUp = !isTransient_(res.code) || attempts >= LIMITS.runAttempts;
  var reason = submitReason_(ctx.t, ctx.cfg, res, attempts);
  file.moveTo(upload);
  ctx.props.deleteProperty(STATE.pending + fileId);
  if (!giveUp) {
    ctx.props.setProperty(STATE.runFail + fileId, String(attempts));
    ctx.report.retried += 1;
    logEvent_(ctx, 'RETRY', job, { message: reason });
    return false;
  }
  file.setName(withPrefix_(name));
  ctx.props.deleteProperty(STATE.runFail + fileId);
  ctx.report.submitFailed += 1;
  logEvent_(ctx, 'SUBMIT_FAILED', job, { message: reason });
  sendMail_(ctx, job, failedEmail_(ctx.t, job, 'SUBMIT', reason, placeNote_(ctx.t, 'upload', withPrefix_(name), '')));
  return false;
}

/** The /run body (docs/contract.md); no secrets: the worker logs its whole input. */
function buildRunPayload_(cfg, file) {
  var input = { file_id: file.getId(), file_name: file.getName(), folders: cfg.folders, language: cfg.language };
  if (cfg.task) input.task = cfg.task;
  return { input: input, policy: { executionTimeout: executionTimeoutMs_(videoDurationS_(file), file.getSize()) } };
}

/**
 * RunPod executionTimeout in ms: LIMITS.timeoutFactor × the video duration, at least LIMITS.minTimeoutS,
 * at most LIMITS.maxTimeoutS. Without a duration the size at LIMITS.assumedBytesPerS stands in for it.
 * @param {?number} durationS video duration in seconds, null when unknown.
 * @param {number} sizeB file size in bytes.
 */
function executionTimeoutMs_(durationS, sizeB) {
  var estimateS = durationS > 0 ? durationS : sizeB / LIMITS.assumedBytesPerS;
  var timeoutS = Math.min(LIMITS.maxTimeoutS, Math.max(LIMITS.minTimeoutS, Math.ceil(LIMITS.timeoutFactor * estimateS)));
  return timeoutS * 1000;
}

/** Video duration in seconds from Drive's video metadata (advanced Drive service), or null. */
function videoDurationS_(file) {
  if (typeof Drive === 'undefined' || !Drive.Files) return null;
  try {
    var meta = Drive.Files.get(file.getId(), { fields: 'videoMediaMetadata(durationMillis)', supportsAllDrives: true });
    var ms = Number(meta && meta.videoMediaMetadata && meta.videoMediaMetadata.durationMillis);
    return ms > 0 ? ms / 1000 : null;
  } catch (e) {
    return null; // metadata appears only after Drive has processed the video; the size estimate is enough
  }
}

/** Puts back videos a killed run left in 02-processing between its move and its /run answer. */
function recoverPending_(ctx, state, upload) {
  Object.keys(state).forEach(function (key) {
    if (key.indexOf(STATE.pending) !== 0) return;
    var marker = parseRecord_(state[key]);
    if (!marker) return ctx.props.deleteProperty(key);
    if (CLOCK.nowMs() - marker.at_ms < LIMITS.pendingStaleMs) return;
    var file = fileOrNull_(marker.file_id);
    if (file && locate_(ctx.cfg, file) === 'processing') {
      file.moveTo(upload); // unprefixed: it is submitted again once seen stable
      logEvent_(ctx, 'RESTORED', marker, { message: 'interrupted submission' });
    }
    ctx.props.deleteProperty(key);
  });
}

// ----------------------------------------------------------------------------------------------------
// RunPod /status → e-mail
// ----------------------------------------------------------------------------------------------------

/** Polls every recorded job once (oldest first) within the run's time budget. */
function checkJobs_(ctx) {
  var state = ctx.props.getProperties();
  var jobs = [];
  Object.keys(state).forEach(function (k) {
    if (k.indexOf(STATE.job) !== 0) return;
    var job = parseRecord_(state[k]);
    if (job && job.job_id) jobs.push(job);
    else {
      Logger.log('Dropping unreadable job record ' + k + ' (edited by hand?): ' + state[k]);
      ctx.props.deleteProperty(k);
    }
  });
  jobs.sort(function (a, b) { return a.submitted_ms - b.submitted_ms; });
  for (var i = 0; i < jobs.length && hasTime_(ctx); i++) checkJob_(ctx, jobs[i]);
}

function checkJob_(ctx, job) {
  var res = runpodRequest_(ctx.cfg, 'get', '/status/' + encodeURIComponent(job.job_id), null);
  if (res.code === 404) return finishFailed_(ctx, job, 'LOST', '');
  if (res.code === 401 || res.code === 403) throw new ConfigError(submitReason_(ctx.t, ctx.cfg, res, 1));
  if (res.code !== 200 || !res.body || !res.body.status) {
    Logger.log('Status of job ' + job.job_id + ' not available now (HTTP ' + res.code + '); trying next run.');
    ctx.report.running += 1;
    return;
  }
  var status = String(res.body.status);
  var output = res.body.output;
  if (status === 'COMPLETED' && output && typeof output === 'object' && !output.error) {
    return finishCompleted_(ctx, job, output);
  }
  if (['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'].indexOf(status) >= 0) {
    return finishFailed_(ctx, job, status === 'COMPLETED' ? 'FAILED' : status, errorText_(res.body));
  }
  ctx.report.running += 1;
  if (status !== job.status) {
    job.status = status;
    ctx.props.setProperty(STATE.job + job.job_id, JSON.stringify(job));
    if (status === 'IN_PROGRESS') logEvent_(ctx, 'STARTED', job, {});
  }
}

function finishCompleted_(ctx, job, output) {
  var file = fileOrNull_(job.file_id);
  // The worker archives the original; a video still in 02-processing would look like a stuck job.
  if (file && locate_(ctx.cfg, file) === 'processing') file.moveTo(DriveApp.getFolderById(ctx.cfg.folders.archive));
  var summary = output.summary || {};
  var drive = output.drive || {};
  var folderUrl = drive.result_folder_url ||
    (drive.result_folder_id ? 'https://drive.google.com/drive/folders/' + drive.result_folder_id : '');
  logEvent_(ctx, 'COMPLETED', job, { reba: maxScore_(summary.reba), rula: maxScore_(summary.rula),
    folderUrl: folderUrl, message: (output.warnings || []).length + ' warning(s)' });
  sendMail_(ctx, job, completedEmail_(ctx.t, job, output, folderUrl, sheetUrl_(ctx)));
  ctx.props.deleteProperty(STATE.job + job.job_id);
  ctx.report.completed += 1;
}

/**
 * Ends a job that produced no result: the video is made visible in 01-upload with the "FAILED - " prefix
 * unless the worker already put it somewhere the user sees; then the user gets the reason by e-mail.
 * @param {string} status FAILED | CANCELLED | TIMED_OUT | LOST (404 on /status).
 */
function finishFailed_(ctx, job, status, message) {
  var file = fileOrNull_(job.file_id);
  var place = file ? locate_(ctx.cfg, file) : 'missing';
  var shownName = file ? file.getName() : job.file_name;
  if (place === 'processing' || (place === 'upload' && shownName.indexOf(FAILED_PREFIX) !== 0)) {
    // The prefix also keeps processUploads from resubmitting a video that fails every time.
    if (place === 'processing') file.moveTo(DriveApp.getFolderById(ctx.cfg.folders.upload));
    shownName = withPrefix_(shownName);
    file.setName(shownName);
    place = 'upload';
  }
  var url = file ? file.getUrl() : '';
  logEvent_(ctx, status, job, { message: message || status });
  sendMail_(ctx, job, failedEmail_(ctx.t, job, status, message, placeNote_(ctx.t, place, shownName, url)));
  ctx.props.deleteProperty(STATE.job + job.job_id);
  ctx.report.failed += 1;
}

/**
 * The user-facing error of a finished job: the handler's {"error"} output, else RunPod's error field
 * (a traceback, or JSON with error_message), cut to its last LIMITS.errorChars characters.
 */
function errorText_(body) {
  var output = body.output;
  var e = (output && typeof output === 'object' && output.error) || body.error ||
    (typeof output === 'string' ? output : '');
  if (typeof e !== 'string') e = JSON.stringify(e);
  try {
    var parsed = JSON.parse(e);
    if (parsed && parsed.error_message) e = (parsed.error_type ? parsed.error_type + ': ' : '') + parsed.error_message;
  } catch (ignored) { /* plain text */ }
  e = String(e).trim();
  return e.length > LIMITS.errorChars ? '…' + e.slice(e.length - LIMITS.errorChars) : e;
}

// ----------------------------------------------------------------------------------------------------
// RunPod HTTP and Drive helpers
// ----------------------------------------------------------------------------------------------------

/** One RunPod API call; never throws: {code: HTTP status or 0 when unreachable, body: parsed JSON|null, text}. */
function runpodRequest_(cfg, method, path, payload) {
  var options = { method: method, muteHttpExceptions: true, contentType: 'application/json',
    headers: { Authorization: 'Bearer ' + cfg.apiKey } };
  if (payload) options.payload = JSON.stringify(payload);
  var res;
  try {
    res = UrlFetchApp.fetch(RUNPOD_BASE_URL + encodeURIComponent(cfg.endpointId) + path, options);
  } catch (e) {
    return { code: 0, body: null, text: errMsg_(e) };
  }
  var text = res.getContentText();
  var body = null;
  try { body = JSON.parse(text); } catch (ignored) { /* HTML error pages */ }
  return { code: res.getResponseCode(), body: body, text: text };
}

/** Network errors, 408, 429 and 5xx are worth retrying; other refusals need the operator. */
function isTransient_(code) {
  return code === 0 || code === 408 || code === 429 || code >= 500;
}

/** The user-facing reason of a failed RunPod call, naming the property to fix where there is one. */
function submitReason_(t, cfg, res, attempts) {
  if (res.code === 401 || res.code === 403) return fmt_(t.reasonAuth, { code: res.code });
  if (res.code === 404) return fmt_(t.reasonEndpoint, { endpoint: cfg.endpointId });
  var detail = res.code ? 'HTTP ' + res.code : res.text;
  if (isTransient_(res.code)) return fmt_(t.reasonUnreachable, { attempts: attempts, detail: detail });
  if (res.code === 200) detail = 'no job id in the answer';
  return fmt_(t.reasonRefused, { code: res.code, detail: String(res.text || '').slice(0, 300) || detail });
}

function isVideo_(file) {
  var mime = String(file.getMimeType() || '');
  if (mime.indexOf('video/') === 0) return true;
  var match = /\.([A-Za-z0-9]+)$/.exec(file.getName());
  return !!match && mime.indexOf('application/vnd.google-apps') !== 0 &&
    VIDEO_EXTENSIONS.indexOf(match[1].toLowerCase()) >= 0;
}

function lastChangeMs_(file) {
  var updated = file.getLastUpdated ? file.getLastUpdated() : null;
  return Math.max(file.getDateCreated().getTime(), updated ? updated.getTime() : 0);
}

function fileOrNull_(fileId) {
  try {
    var file = DriveApp.getFileById(fileId);
    return file.isTrashed() ? null : file;
  } catch (e) {
    return null;
  }
}

/** Which hot-folder folder holds the file: a FOLDER_PROPS role, or 'other'. */
function locate_(cfg, file) {
  var roleById = {};
  Object.keys(cfg.folders).forEach(function (role) { roleById[cfg.folders[role]] = role; });
  var parents = file.getParents();
  while (parents.hasNext()) {
    var role = roleById[parents.next().getId()];
    if (role) return role;
  }
  return 'other';
}

/** A JSON state record, or null when absent or not JSON (a property edited by hand must not stop every run). */
function parseRecord_(text) {
  if (!text) return null;
  try {
    var value = JSON.parse(text);
    return value && typeof value === 'object' ? value : null;
  } catch (e) {
    return null;
  }
}

function withPrefix_(name) {
  return name.indexOf(FAILED_PREFIX) === 0 ? name : FAILED_PREFIX + name;
}

function sheetUrl_(ctx) {
  if (!ctx.cfg.sheetId) return '';
  try {
    return SpreadsheetApp.openById(ctx.cfg.sheetId).getUrl();
  } catch (e) {
    return '';
  }
}

function errMsg_(e) {
  return e && e.message ? e.message : String(e);
}
