/**
 * Ergonomic video analysis: the Google Drive hot-folder trigger.
 *
 * The ergonomist drops a video into 01-upload. Every 5 minutes `tick()` (one time-driven trigger):
 *   1. checkJobs: polls RunPod for the jobs it started; e-mails the result (links + headline RULA/REBA
 *      scores) or the error, and makes sure a failed video is back in 01-upload, visible to the user;
 *   2. processUploads: takes videos whose upload has finished (same size on two runs at least a minute
 *      apart), moves each to 02-processing and starts a RunPod job for it.
 * The RunPod worker then writes results to 03-completed, moves the original to 04-archive (or back to
 * 01-upload with a "FAILED - " prefix) and writes its log to 05-logs.
 *
 * The project has three script files, all pasted into the same Apps Script project: Code.gs (entry points,
 * settings, lock, job log, trigger), HotFolder.gs (the upload and job flow), Mail.gs (e-mails, cs/en texts).
 * Configuration: script properties only (Project Settings → Script properties); see docs/apps_script.md.
 * State: script properties with the prefixes HF_JOB_, HF_SEEN_, HF_PENDING_, HF_RUNFAIL_; a job log sheet for the user.
 * Quotas: one LockService script lock per run, work stops starting after 4 of the 6 minutes an execution may
 * take, at most 10 new jobs per run.
 */

var PROP = {
  apiKey: 'RUNPOD_API_KEY',
  endpointId: 'RUNPOD_ENDPOINT_ID',
  notify: 'NOTIFY_EMAIL',
  language: 'LANGUAGE',
  task: 'DEFAULT_TASK',
  sheetId: 'JOB_LOG_SHEET_ID',
};
/** Folder role (the worker's `folders` key) → script property holding its Drive folder ID. */
var FOLDER_PROPS = {
  upload: 'FOLDER_UPLOAD_ID',
  processing: 'FOLDER_PROCESSING_ID',
  completed: 'FOLDER_COMPLETED_ID',
  archive: 'FOLDER_ARCHIVE_ID',
  logs: 'FOLDER_LOGS_ID',
};
/** Prefixes of the script's own state records in script properties (distinct from every setting name). */
var STATE = { job: 'HF_JOB_', seen: 'HF_SEEN_', pending: 'HF_PENDING_', runFail: 'HF_RUNFAIL_' };
var RUNPOD_BASE_URL = 'https://api.runpod.ai/v2/';
var FAILED_PREFIX = 'FAILED - ';
var TRIGGER_HANDLER = 'tick';
var OUR_HANDLERS = ['tick', 'processUploads', 'checkJobs'];
var TRIGGER_EVERY_MIN = 5;
var TASK_KEYS = ['load_kg', 'shock', 'load_pattern', 'coupling', 'static_posture', 'repeated_actions',
  'rapid_large_changes'];
var VIDEO_EXTENSIONS = ['mp4', 'mov', 'm4v', 'avi', 'mkv', 'webm', '3gp', 'mts', 'm2ts', 'mpg', 'mpeg', 'wmv'];
var LIMITS = {
  lockWaitMs: 10000, // a second trigger waits this long for the first, then skips its turn
  softBudgetMs: 240000, // start no new work after 4 min: an execution is killed at 6 min
  maxSubmitsPerRun: 10,
  minStableMs: 60000, // an upload counts as finished when its size has not changed for this long
  pendingStaleMs: 900000, // a PENDING_ marker older than this was left by a run that was killed
  runAttempts: 3, // transient /run failures (network, 429, 5xx) are retried on this many runs
  minTimeoutS: 600,
  timeoutFactor: 10, // executionTimeout = max(minTimeoutS, timeoutFactor × video duration)
  assumedBytesPerS: 500000, // phone video ≈ 4 Mbit/s: duration estimate when Drive has no metadata
  maxTimeoutS: 86400,
  errorChars: 1500, // tracebacks are cut to their last characters, where the exception is
};
/** The script's clock (ms since epoch); tests replace nowMs to simulate long runs. */
var CLOCK = { nowMs: function () { return Date.now(); } };

// ----------------------------------------------------------------------------------------------------
// Public entry points
// ----------------------------------------------------------------------------------------------------

/**
 * Validates the script properties, checks the folders and the RunPod endpoint, creates the job log sheet
 * (once) and installs the one time-driven trigger (once). Safe to run again after changing properties.
 * @return {string} a summary, also written to the log.
 */
function setup() {
  var props = PropertiesService.getScriptProperties();
  var cfg = readConfig_(props.getProperties());
  var t = texts_(cfg.language);
  var problems = [];
  Object.keys(FOLDER_PROPS).forEach(function (role) {
    try {
      DriveApp.getFolderById(cfg.folders[role]).getName();
    } catch (e) {
      problems.push(fmt_(t.folderNotFound, { name: FOLDER_PROPS[role], id: cfg.folders[role], detail: errMsg_(e) }));
    }
  });
  if (problems.length) throw new ConfigError(fmt_(t.invalidProps, { problems: problems.join('; ') }));
  var health = runpodRequest_(cfg, 'get', '/health', null);
  if (health.code !== 200) throw new ConfigError(submitReason_(t, cfg, health, 1));
  var sheet = ensureJobLog_(cfg, props);
  var trigger = ensureTrigger_();
  var summary = fmt_(t.setupDone, { sheet: sheet.getUrl(), minutes: TRIGGER_EVERY_MIN,
    trigger: trigger === 'created' ? t.triggerCreated : t.triggerKept,
    emails: cfg.notify.join(', '), user: effectiveUser_() });
  Logger.log(summary);
  return summary;
}

/** The time-driven trigger: results first (they are what the user waits for), then new uploads. */
function tick() {
  return withLock_(function (ctx) {
    checkJobs_(ctx);
    if (!ctx.stoppedEarly) processUploads_(ctx);
    return ctx.report;
  });
}

/** Starts RunPod jobs for finished uploads in 01-upload (also runs from tick()). */
function processUploads() {
  return withLock_(function (ctx) { processUploads_(ctx); return ctx.report; });
}

/** Polls RunPod for recorded jobs, e-mails results and errors (also runs from tick()). */
function checkJobs() {
  return withLock_(function (ctx) { checkJobs_(ctx); return ctx.report; });
}

/** Removes this script's triggers (pause the hot folder); setup() installs them again. */
function removeTriggers() {
  var removed = 0;
  ScriptApp.getProjectTriggers().forEach(function (trigger) {
    if (OUR_HANDLERS.indexOf(trigger.getHandlerFunction()) >= 0) {
      ScriptApp.deleteTrigger(trigger);
      removed += 1;
    }
  });
  Logger.log('Removed ' + removed + ' trigger(s).');
  return removed;
}

// ----------------------------------------------------------------------------------------------------
// Configuration
// ----------------------------------------------------------------------------------------------------

class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Parses and validates the script properties; every problem is reported at once, by property name.
 * @param {Object<string,string>} p all script properties.
 * @return {{apiKey:string, endpointId:string, folders:Object<string,string>, notify:string[],
 *   language:string, task:(Object|null), sheetId:string}}
 */
function readConfig_(p) {
  var get = function (name) { return String(p[name] === undefined || p[name] === null ? '' : p[name]).trim(); };
  var rawLanguage = get(PROP.language).toLowerCase();
  var language = rawLanguage === 'en' ? 'en' : 'cs';
  var t = texts_(language);
  var required = [PROP.apiKey, PROP.endpointId].concat(Object.keys(FOLDER_PROPS).map(function (r) {
    return FOLDER_PROPS[r];
  })).concat([PROP.notify]);
  var missing = required.filter(function (name) { return !get(name); });
  if (missing.length) throw new ConfigError(fmt_(t.missingProps, { names: missing.join(', ') }));

  var problems = [];
  if (rawLanguage && rawLanguage !== 'cs' && rawLanguage !== 'en') {
    problems.push(fmt_(t.badLanguage, { value: get(PROP.language) }));
  }
  var endpointId = get(PROP.endpointId);
  if (!/^[A-Za-z0-9_-]+$/.test(endpointId)) problems.push(fmt_(t.badEndpoint, { value: endpointId }));
  var folders = {};
  var roleById = {};
  Object.keys(FOLDER_PROPS).forEach(function (role) {
    var id = get(FOLDER_PROPS[role]);
    folders[role] = id;
    if (!/^[A-Za-z0-9_-]{10,200}$/.test(id)) problems.push(fmt_(t.badFolderId, { name: FOLDER_PROPS[role] }));
    else if (roleById[id]) problems.push(fmt_(t.sameFolder, { a: FOLDER_PROPS[roleById[id]], b: FOLDER_PROPS[role] }));
    else roleById[id] = role;
  });
  var notify = get(PROP.notify).split(/[\s,;]+/).filter(function (s) { return s; });
  notify.forEach(function (address) {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) problems.push(fmt_(t.badEmail, { value: address }));
  });
  var task = null;
  if (get(PROP.task)) {
    try {
      task = parseTask_(get(PROP.task));
    } catch (e) {
      problems.push(fmt_(t.badTask, { keys: TASK_KEYS.join(', '), detail: errMsg_(e) }));
    }
  }
  if (problems.length) throw new ConfigError(fmt_(t.invalidProps, { problems: problems.join('; ') }));
  return { apiKey: get(PROP.apiKey), endpointId: endpointId, folders: folders, notify: notify,
    language: language, task: task, sheetId: get(PROP.sheetId) };
}

/** DEFAULT_TASK: a JSON object whose keys are the worker's task factors (values are checked by the worker). */
function parseTask_(text) {
  var task = JSON.parse(text);
  if (task === null || typeof task !== 'object' || Array.isArray(task)) throw new Error('not a JSON object');
  var unknown = Object.keys(task).filter(function (k) { return TASK_KEYS.indexOf(k) < 0; });
  if (unknown.length) throw new Error('unknown key(s) ' + unknown.join(', '));
  return task;
}

// ----------------------------------------------------------------------------------------------------
// Run context: lock, time budget, job log
// ----------------------------------------------------------------------------------------------------

/**
 * Runs fn(ctx) under the script lock. A run that cannot get the lock within LIMITS.lockWaitMs returns
 * 'skipped' (another run is working; the next trigger catches up) instead of failing.
 */
function withLock_(fn) {
  var lock = LockService.getScriptLock();
  if (!lock.tryLock(LIMITS.lockWaitMs)) {
    Logger.log('Another run holds the lock; skipping this one.');
    return 'skipped';
  }
  try {
    var props = PropertiesService.getScriptProperties();
    var ctx = { cfg: readConfig_(props.getProperties()), props: props, startMs: CLOCK.nowMs(),
      stoppedEarly: false, sheet: null,
      report: { submitted: 0, retried: 0, submitFailed: 0, waiting: 0, completed: 0, failed: 0, running: 0 } };
    ctx.t = texts_(ctx.cfg.language);
    return fn(ctx);
  } finally {
    lock.releaseLock();
  }
}

/** True while the run may start another unit of work; marks the run as stopped early otherwise. */
function hasTime_(ctx) {
  if (CLOCK.nowMs() - ctx.startMs < LIMITS.softBudgetMs) return true;
  if (!ctx.stoppedEarly) Logger.log('Time budget used up; the rest waits for the next run.');
  ctx.stoppedEarly = true;
  return false;
}

/** Opens the job log sheet named by JOB_LOG_SHEET_ID, or creates it in the logs folder. */
function ensureJobLog_(cfg, props) {
  if (cfg.sheetId) {
    try {
      return SpreadsheetApp.openById(cfg.sheetId);
    } catch (e) {
      Logger.log('Job log sheet ' + cfg.sheetId + ' cannot be opened (' + errMsg_(e) + '); creating a new one.');
    }
  }
  var t = texts_(cfg.language);
  var spreadsheet = SpreadsheetApp.create(t.sheetName);
  var sheet = spreadsheet.getSheets()[0];
  sheet.appendRow(t.sheetHeaders);
  sheet.setFrozenRows(1);
  DriveApp.getFileById(spreadsheet.getId()).moveTo(DriveApp.getFolderById(cfg.folders.logs));
  props.setProperty(PROP.sheetId, spreadsheet.getId());
  cfg.sheetId = spreadsheet.getId();
  return spreadsheet;
}

/** Appends one event row to the job log; a missing sheet only costs a log line. */
function logEvent_(ctx, event, job, fields) {
  var f = fields || {};
  var when = Utilities.formatDate(new Date(CLOCK.nowMs()), Session.getScriptTimeZone(), 'yyyy-MM-dd HH:mm:ss');
  var row = [when, event, job.file_name || '', job.file_id || '', job.job_id || '',
    f.reba === undefined ? '' : f.reba, f.rula === undefined ? '' : f.rula, f.folderUrl || '', f.message || ''];
  Logger.log(row.join(' | '));
  if (!ctx.cfg.sheetId) return;
  try {
    if (!ctx.sheet) ctx.sheet = SpreadsheetApp.openById(ctx.cfg.sheetId).getSheets()[0];
    ctx.sheet.appendRow(row);
  } catch (e) {
    Logger.log('Job log sheet not written: ' + errMsg_(e));
  }
}

/** Installs the tick trigger unless it exists; removes triggers of older set-ups (processUploads/checkJobs). */
function ensureTrigger_() {
  var kept = null;
  ScriptApp.getProjectTriggers().forEach(function (trigger) {
    var handler = trigger.getHandlerFunction();
    if (handler === TRIGGER_HANDLER && !kept) kept = trigger;
    else if (OUR_HANDLERS.indexOf(handler) >= 0) ScriptApp.deleteTrigger(trigger);
  });
  if (kept) return 'kept';
  ScriptApp.newTrigger(TRIGGER_HANDLER).timeBased().everyMinutes(TRIGGER_EVERY_MIN).create();
  return 'created';
}

function effectiveUser_() {
  try {
    return Session.getEffectiveUser().getEmail() || '?';
  } catch (e) {
    return '?';
  }
}

