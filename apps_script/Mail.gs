/**
 * E-mails and user-facing texts, Czech (default) and English (part of the Apps Script project; see Code.gs).
 * The compose functions are pure: (texts, job, RunPod output) → {subject, body, htmlBody}.
 */

var TEXTS = {
  cs: {
    senderName: 'Ergonomická analýza',
    decimalSeparator: ',',
    subjectDone: 'Ergonomická analýza je hotová: {name}',
    subjectFailed: 'Ergonomická analýza se nezdařila: {name}',
    doneIntro: 'Ergonomická analýza videa „{name}“ je dokončena.',
    resultsFolder: 'Výsledky (složka 03-completed): {url}',
    filesHeading: 'Soubory:',
    scoresHeading: 'Hlavní výsledky (nejhorší okamžik videa):',
    scoreLine: '{method}: nejvyšší skóre {score}, akční úroveň {level} – {meaning}',
    levelLine: '{method}: nejvyšší akční kategorie {level} – {meaning}',
    worseSide: ' (horší strana: {side})',
    sides: { left: 'levá', right: 'pravá', both: 'obě' },
    noScores: 'Souhrnná skóre ve výsledku chybí; podrobnosti jsou ve zprávě ve složce výsledků.',
    videoLine: 'Video: {duration} s, analyzovaných snímků: {frames}.',
    warningsHeading: 'Upozornění:',
    logLine: 'Přehled všech úloh: {url}',
    jobLine: 'Úloha RunPod: {id}',
    footer: 'Tento e-mail poslal skript Apps Script, který hlídá složku 01-upload.',
    failIntro: {
      SUBMIT: 'Analýzu videa „{name}“ se nepodařilo spustit.',
      FAILED: 'Analýzu videa „{name}“ se nepodařilo dokončit.',
      TIMED_OUT: 'Analýza videa „{name}“ trvala déle než povolených {minutes} min a byla ukončena.',
      CANCELLED: 'Analýza videa „{name}“ byla v RunPod zrušena.',
      LOST: 'RunPod už o úloze pro video „{name}“ nic neví (výsledky drží jen 30 minut po dokončení, ' +
        'nebo úloha vypršela ve frontě).',
    },
    reasonLabel: 'Důvod: {reason}',
    noReason: 'RunPod neuvedl důvod.',
    lostHint: 'Podívejte se do složky 03-completed: jsou-li tam výsledky tohoto videa, analýza doběhla.',
    place: {
      uploadFailed: 'Video je zpět ve složce 01-upload jako „{name}“. Pro nový pokus odstraňte z názvu ' +
        'předponu „FAILED - “.',
      upload: 'Video je ve složce 01-upload jako „{name}“.',
      archive: 'Původní video je ve složce 04-archive.',
      completed: 'Původní video je ve složce 03-completed.',
      missing: 'Původní video už na Disku Google není (bylo smazáno nebo je v koši).',
      other: 'Původní video bylo přesunuto mimo složky 01–05: {url}',
    },
    levels: {
      reba: { 0: 'zanedbatelné riziko, opatření nejsou nutná', 1: 'nízké riziko, opatření mohou být nutná',
        2: 'střední riziko, opatření jsou nutná', 3: 'vysoké riziko, opatření jsou nutná brzy',
        4: 'velmi vysoké riziko, opatření jsou nutná ihned' },
      rula: { 1: 'přijatelné, pokud poloha netrvá a neopakuje se dlouho', 2: 'nutné další šetření, změny mohou být potřeba',
        3: 'nutné šetření a brzké změny', 4: 'nutné šetření a okamžité změny' },
      owas: { 1: 'opatření nejsou nutná', 2: 'opatření v blízké budoucnosti', 3: 'opatření co nejdříve',
        4: 'opatření okamžitě' },
    },
    reasonAuth: 'RunPod odmítl klíč API (HTTP {code}). Zkontrolujte vlastnost skriptu RUNPOD_API_KEY.',
    reasonEndpoint: 'RunPod nezná endpoint „{endpoint}“ (HTTP 404). Zkontrolujte vlastnost skriptu RUNPOD_ENDPOINT_ID.',
    reasonRefused: 'RunPod požadavek odmítl (HTTP {code}): {detail}',
    reasonUnreachable: 'RunPod nebyl dostupný ani na {attempts}. pokus ({detail}). Zkuste to později; pokud potíže ' +
      'trvají, podívejte se na stav služby RunPod.',
    missingProps: 'Chybí vlastnosti skriptu: {names}. Doplňte je v projektu Apps Script (Nastavení projektu → ' +
      'Vlastnosti skriptu) a znovu spusťte setup().',
    invalidProps: 'Neplatné vlastnosti skriptu: {problems}',
    badLanguage: 'LANGUAGE musí být „cs“ nebo „en“ (nyní „{value}“)',
    badEndpoint: 'RUNPOD_ENDPOINT_ID „{value}“ není ID endpointu (jen písmena, číslice, - a _)',
    badFolderId: '{name} není ID složky Disku Google (zkopírujte část adresy složky za /folders/)',
    sameFolder: '{a} a {b} jsou stejná složka; všech pět složek musí být různých',
    badEmail: 'NOTIFY_EMAIL obsahuje neplatnou adresu „{value}“',
    badTask: 'DEFAULT_TASK musí být objekt JSON s klíči z {keys} ({detail})',
    folderNotFound: '{name}: složku {id} tento účet nemůže otevřít ({detail})',
    setupDone: 'Nastavení je v pořádku. Přehled úloh: {sheet}. Spouštěč {trigger} (každých {minutes} min, běží ' +
      'jako {user}). E-maily chodí na: {emails}.',
    triggerCreated: 'vytvořen',
    triggerKept: 'už existoval',
    sheetName: 'Ergonomie – přehled úloh',
    sheetHeaders: ['Čas', 'Událost', 'Video', 'ID souboru', 'ID úlohy RunPod', 'REBA max', 'RULA max',
      'Složka výsledků', 'Zpráva'],
  },
  en: {
    senderName: 'Ergonomic analysis',
    decimalSeparator: '.',
    subjectDone: 'Ergonomic analysis ready: {name}',
    subjectFailed: 'Ergonomic analysis failed: {name}',
    doneIntro: 'The ergonomic analysis of "{name}" is finished.',
    resultsFolder: 'Results (03-completed folder): {url}',
    filesHeading: 'Files:',
    scoresHeading: 'Headline scores (the worst moment in the video):',
    scoreLine: '{method}: max score {score}, action level {level} — {meaning}',
    levelLine: '{method}: highest action category {level} — {meaning}',
    worseSide: ' (worse side: {side})',
    sides: { left: 'left', right: 'right', both: 'both' },
    noScores: 'The result has no summary scores; see the report in the results folder.',
    videoLine: 'Video: {duration} s, {frames} frames analysed.',
    warningsHeading: 'Warnings:',
    logLine: 'Log of all jobs: {url}',
    jobLine: 'RunPod job: {id}',
    footer: 'Sent by the Apps Script that watches the 01-upload folder.',
    failIntro: {
      SUBMIT: 'The analysis of "{name}" could not be started.',
      FAILED: 'The analysis of "{name}" could not be completed.',
      TIMED_OUT: 'The analysis of "{name}" took longer than the allowed {minutes} min and was stopped.',
      CANCELLED: 'The analysis of "{name}" was cancelled in RunPod.',
      LOST: 'RunPod no longer knows the job for "{name}" (it keeps results only 30 minutes after completion, ' +
        'or the job expired in the queue).',
    },
    reasonLabel: 'Reason: {reason}',
    noReason: 'RunPod gave no reason.',
    lostHint: 'Look into 03-completed: if results for this video are there, the analysis did finish.',
    place: {
      uploadFailed: 'The video is back in 01-upload as "{name}". To try again, remove the "FAILED - " prefix ' +
        'from its name.',
      upload: 'The video is in 01-upload as "{name}".',
      archive: 'The original video is in 04-archive.',
      completed: 'The original video is in 03-completed.',
      missing: 'The original video is no longer in Google Drive (deleted or in the trash).',
      other: 'The original video was moved outside the folders 01–05: {url}',
    },
    levels: {
      reba: { 0: 'negligible risk, no action necessary', 1: 'low risk, action may be necessary',
        2: 'medium risk, action necessary', 3: 'high risk, action necessary soon', 4: 'very high risk, action necessary now' },
      rula: { 1: 'acceptable if not maintained or repeated for long periods', 2: 'further investigation needed; changes may be required',
        3: 'investigation and changes required soon', 4: 'investigation and changes required immediately' },
      owas: { 1: 'no corrective action needed', 2: 'corrective action in the near future',
        3: 'corrective action as soon as possible', 4: 'corrective action immediately' },
    },
    reasonAuth: 'RunPod rejected the API key (HTTP {code}). Check the script property RUNPOD_API_KEY.',
    reasonEndpoint: 'RunPod does not know the endpoint "{endpoint}" (HTTP 404). Check the script property RUNPOD_ENDPOINT_ID.',
    reasonRefused: 'RunPod refused the request (HTTP {code}): {detail}',
    reasonUnreachable: 'RunPod could not be reached on attempt {attempts} ({detail}). Try again later; if it ' +
      'persists, check RunPod\'s status page.',
    missingProps: 'Missing script properties: {names}. Add them in the Apps Script project (Project Settings → ' +
      'Script properties) and run setup() again.',
    invalidProps: 'Invalid script properties: {problems}',
    badLanguage: 'LANGUAGE must be "cs" or "en" (got "{value}")',
    badEndpoint: 'RUNPOD_ENDPOINT_ID "{value}" is not an endpoint ID (letters, digits, - and _ only)',
    badFolderId: '{name} is not a Google Drive folder ID (copy the part of the folder address after /folders/)',
    sameFolder: '{a} and {b} are the same folder; the five folders must all differ',
    badEmail: 'NOTIFY_EMAIL holds an invalid address "{value}"',
    badTask: 'DEFAULT_TASK must be a JSON object with keys from {keys} ({detail})',
    folderNotFound: '{name}: this account cannot open the folder {id} ({detail})',
    setupDone: 'Setup OK. Job log: {sheet}. Trigger {trigger} (every {minutes} min, runs as {user}). ' +
      'E-mails go to: {emails}.',
    triggerCreated: 'created',
    triggerKept: 'already there',
    sheetName: 'Ergonomics – job log',
    sheetHeaders: ['Time', 'Event', 'Video', 'Drive file ID', 'RunPod job ID', 'REBA max', 'RULA max',
      'Result folder', 'Message'],
  },
};

function texts_(language) {
  return TEXTS[language] || TEXTS.cs;
}

/** Fills {placeholders} from values; unknown ones stay visible rather than vanish. */
function fmt_(template, values) {
  return String(template).replace(/\{(\w+)\}/g, function (whole, key) {
    return values[key] === undefined || values[key] === null ? whole : String(values[key]);
  });
}

/**
 * The success e-mail: result folder and file links, REBA/RULA max score with action level, OWAS category.
 * @param {Object} output the worker's success output (docs/contract.md).
 */
function completedEmail_(t, job, output, folderUrl, logUrl) {
  var lines = [fmt_(t.doneIntro, { name: job.file_name }), ''];
  if (folderUrl) lines.push(fmt_(t.resultsFolder, { url: folderUrl }));
  var files = (output.drive && output.drive.files) || [];
  if (files.length) {
    lines.push(t.filesHeading);
    files.forEach(function (f) { lines.push('  - ' + f.name + (f.url ? ': ' + f.url : '')); });
  }
  lines.push('', t.scoresHeading);
  var scores = scoreLines_(t, output.summary || {});
  lines = lines.concat(scores.length ? scores : ['  ' + t.noScores]);
  var video = output.video || {};
  if (video.duration_s !== undefined) {
    var durationS = String(Math.round(video.duration_s * 10) / 10).replace('.', t.decimalSeparator);
    lines.push('', fmt_(t.videoLine, { duration: durationS, frames: video.frames_analysed }));
  }
  var warnings = output.warnings || [];
  if (warnings.length) {
    lines.push('', t.warningsHeading);
    warnings.slice(0, 5).forEach(function (w) { lines.push('  - ' + w); });
    if (warnings.length > 5) lines.push('  - …');
  }
  lines.push('');
  if (logUrl) lines.push(fmt_(t.logLine, { url: logUrl }));
  lines.push(fmt_(t.jobLine, { id: job.job_id }), '', t.footer);
  return mail_(fmt_(t.subjectDone, { name: job.file_name }), lines);
}

/**
 * The failure e-mail: what happened, the reason, and where the video is now.
 * @param {string} status SUBMIT | FAILED | TIMED_OUT | CANCELLED | LOST.
 */
function failedEmail_(t, job, status, reason, placeNote) {
  var minutes = job.timeout_ms ? Math.round(job.timeout_ms / 60000) : '?';
  var lines = [fmt_(t.failIntro[status] || t.failIntro.FAILED, { name: job.file_name, minutes: minutes }), ''];
  if (status === 'LOST') lines.push(t.lostHint);
  else lines.push(fmt_(t.reasonLabel, { reason: reason || t.noReason }));
  lines.push('', placeNote, '');
  if (job.job_id) lines.push(fmt_(t.jobLine, { id: job.job_id }), '');
  lines.push(t.footer);
  return mail_(fmt_(t.subjectFailed, { name: job.file_name }), lines);
}

/** Where the video is, in words; place is a folder role, 'missing' or 'other'. */
function placeNote_(t, place, name, url) {
  if (place === 'upload') {
    return fmt_(name.indexOf(FAILED_PREFIX) === 0 ? t.place.uploadFailed : t.place.upload, { name: name });
  }
  return fmt_(t.place[place] || t.place.other, { url: url, name: name });
}

/** One line per method present in the summary: max score and action level with its meaning. */
function scoreLines_(t, summary) {
  var lines = [];
  ['reba', 'rula', 'owas'].forEach(function (method) {
    var s = summary[method];
    if (!s || typeof s !== 'object') return;
    var level = s.max_action_level;
    var values = { method: method.toUpperCase(), score: s.max_score, level: level === undefined ? '?' : level,
      meaning: (t.levels[method] || {})[level] || '' };
    if (s.max_score !== undefined && s.max_score !== null) {
      var side = s.worse_side ? fmt_(t.worseSide, { side: t.sides[s.worse_side] || s.worse_side }) : '';
      lines.push('  ' + fmt_(t.scoreLine, values).replace(/ [–—] $/, '') + side);
    } else if (level !== undefined && level !== null) {
      lines.push('  ' + fmt_(t.levelLine, values).replace(/ [–—] $/, ''));
    }
  });
  return lines;
}

function maxScore_(methodSummary) {
  return methodSummary && methodSummary.max_score !== undefined ? methodSummary.max_score : '';
}

/** Plain text and the same text as HTML, with links clickable. */
function mail_(subject, lines) {
  var body = lines.join('\n');
  var html = lines.map(function (line) {
    var escaped = line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    return escaped.replace(/https:\/\/[^\s<]+/g, function (url) { return '<a href="' + url + '">' + url + '</a>'; });
  }).join('<br>\n');
  return { subject: subject, body: body, htmlBody: '<div style="font-family:Arial,sans-serif">' + html + '</div>' };
}

/**
 * Sends to every NOTIFY_EMAIL address. A spent daily quota (100 recipients/day on consumer accounts) or a
 * send error costs only this e-mail: the job log sheet still has the event.
 */
function sendMail_(ctx, job, mail) {
  try {
    if (MailApp.getRemainingDailyQuota() < ctx.cfg.notify.length) throw new Error('daily e-mail quota used up');
    MailApp.sendEmail({ to: ctx.cfg.notify.join(','), subject: mail.subject, body: mail.body,
      htmlBody: mail.htmlBody, name: ctx.t.senderName });
    return true;
  } catch (e) {
    logEvent_(ctx, 'MAIL_NOT_SENT', job, { message: errMsg_(e) });
    return false;
  }
}
