'use strict';
/**
 * The example e-mails shown in docs/apps_script.md, composed by the real Mail.gs from one fixed job.
 * `node apps_script/tests/examples.js` prints them; mail.test.js checks the docs still match.
 */
const { makeWorld } = require('./harness');

const JOB = { file_id: '1AbCdEfGhIjKlMnOp', file_name: 'montaz-linka-3.mp4', job_id: 'a1b2c3d4-e5f6-7890-ab12-cd34ef567890-e1',
  timeout_ms: 1200000 };
const OUTPUT = {
  status: 'success',
  video: { name: 'montaz-linka-3.mp4', duration_s: 94.24, fps: 30, frames_analysed: 2827 },
  summary: {
    reba: { max_score: 9, worse_side: 'right', max_action_level: 3 },
    rula: { max_score: 6, worse_side: 'right', max_action_level: 3 },
    owas: { max_action_level: 2 },
  },
  drive: {
    result_folder_url: 'https://drive.google.com/drive/folders/1ReSuLtFoLdEr',
    files: [
      { name: 'montaz-linka-3_report.xlsx', url: 'https://drive.google.com/file/d/1XlSx/view' },
      { name: 'montaz-linka-3_annotated.mp4', url: 'https://drive.google.com/file/d/1ViDeO/view' },
      { name: 'montaz-linka-3_results.json', url: 'https://drive.google.com/file/d/1JsOn/view' },
    ],
  },
};
// The worker writes its warnings and errors in the job's language.
const WARNING = { cs: 'Osoba nebyla vidět ve 4 % snímků.', en: 'The person was not visible in 4 % of the frames.' };
const ERROR = {
  cs: 'V dostatečném počtu snímků nebyl nalezen žádný člověk. Natočte celou postavu z boku ze vzdálenosti 3–5 m.',
  en: 'No person was detected in enough frames. Film the whole body from the side, 3–5 m away.',
};
const LOG_URL = 'https://docs.google.com/spreadsheets/d/1JoBlOg/edit';

/** {name: {subject, body}} for done-cs, done-en, failed-cs, failed-en. */
function examples() {
  const gs = makeWorld({ setup: false }).gs;
  const out = {};
  for (const lang of ['cs', 'en']) {
    const t = gs.texts_(lang);
    const output = { ...OUTPUT, warnings: [WARNING[lang]] };
    out[`done-${lang}`] = gs.completedEmail_(t, JOB, output, OUTPUT.drive.result_folder_url, LOG_URL);
    const place = gs.placeNote_(t, 'upload', `FAILED - ${JOB.file_name}`, '');
    out[`failed-${lang}`] = gs.failedEmail_(t, JOB, 'FAILED', ERROR[lang], place);
  }
  return out;
}

/** The text shown in the docs: a Subject line, a blank line, the plain-text body. */
function asText(mail) { return `Subject: ${mail.subject}\n\n${mail.body}`; }

if (require.main === module) {
  Object.entries(examples()).forEach(([name, mail]) => {
    process.stdout.write(`<!-- example: ${name} -->\n\`\`\`text\n${asText(mail)}\n\`\`\`\n\n`);
  });
}

module.exports = { examples, asText };
