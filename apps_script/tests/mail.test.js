'use strict';
// E-mail composition in Czech and English, HTML safety, and the examples printed in docs/apps_script.md.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { makeWorld } = require('./harness');
const { examples, asText } = require('./examples');

const gs = makeWorld({ setup: false }).gs;

/** Every key path of a nested object of texts, e.g. "place.upload". */
function keyPaths(obj, prefix = '') {
  return Object.keys(obj).flatMap((k) => (obj[k] && typeof obj[k] === 'object' && !Array.isArray(obj[k])
    ? keyPaths(obj[k], `${prefix}${k}.`) : [`${prefix}${k}`])).sort();
}

test('Czech and English have the same texts', () => {
  assert.deepEqual(keyPaths(gs.TEXTS.cs), keyPaths(gs.TEXTS.en));
  assert.equal(gs.TEXTS.cs.sheetHeaders.length, gs.TEXTS.en.sheetHeaders.length);
});

test('LANGUAGE selects the texts; Czech is the default', () => {
  assert.equal(gs.texts_('en').subjectDone, 'Ergonomic analysis ready: {name}');
  assert.equal(gs.texts_('cs'), gs.TEXTS.cs);
  assert.equal(gs.texts_(undefined), gs.TEXTS.cs);
});

test('every failure kind has an introduction in both languages, with no placeholder left', () => {
  for (const lang of ['cs', 'en']) {
    const t = gs.texts_(lang);
    for (const status of ['SUBMIT', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'LOST']) {
      const mail = gs.failedEmail_(t, { file_name: 'a.mp4', job_id: 'j1', timeout_ms: 1800000 }, status, 'why', 'where');
      assert.ok(!/\{\w+\}/.test(mail.body + mail.subject), `${lang} ${status}: ${mail.body}`);
      assert.ok(mail.body.includes('a.mp4'), `${lang} ${status}`);
      assert.ok(mail.body.split('\n').includes('where'), 'the place note is in the body');
    }
    assert.match(gs.failedEmail_(t, { file_name: 'a.mp4', timeout_ms: 1800000 }, 'TIMED_OUT', '', 'x').body, / 30 min/);
  }
});

test('a result without summary or files still gives a sensible e-mail in both languages', () => {
  for (const lang of ['cs', 'en']) {
    const mail = gs.completedEmail_(gs.texts_(lang), { file_name: 'a.mp4', job_id: 'j1' }, { status: 'success' }, '', '');
    assert.ok(!/\{\w+\}|undefined|null/.test(mail.body), mail.body);
    assert.match(mail.body, lang === 'cs' ? /Souhrnná skóre ve výsledku chybí/ : /has no summary scores/);
  }
});

test('an action level without a known meaning is shown without a dangling dash', () => {
  const lines = gs.scoreLines_(gs.texts_('en'), { reba: { max_score: 3 }, rula: { max_score: 7, max_action_level: 9 } });
  assert.deepEqual(Array.from(lines), ['  REBA: max score 3, action level ?', '  RULA: max score 7, action level 9']);
});

test('the HTML body escapes names from Drive and makes links clickable', () => {
  const job = { file_name: '<img src=x onerror=alert(1)> & "quotes".mp4', job_id: 'j1' };
  const output = { drive: { files: [{ name: 'r.xlsx', url: 'https://drive.google.com/file/d/x/view?usp=a&b=c' }] } };
  const mail = gs.completedEmail_(gs.texts_('en'), job, output, 'https://drive.google.com/drive/folders/f', '');
  assert.ok(!mail.htmlBody.includes('<img'), mail.htmlBody);
  assert.match(mail.htmlBody, /&lt;img src=x onerror=alert\(1\)&gt; &amp; &quot;quotes&quot;\.mp4/);
  assert.match(mail.htmlBody, /<a href="https:\/\/drive\.google\.com\/file\/d\/x\/view\?usp=a&amp;b=c">/);
  assert.match(mail.htmlBody, /<a href="https:\/\/drive\.google\.com\/drive\/folders\/f">/);
  assert.equal(mail.htmlBody.split('<br>').length, mail.body.split('\n').length);
});

test('docs/apps_script.md shows exactly the e-mails the script composes', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'apps_script.md'), 'utf8');
  for (const [name, mail] of Object.entries(examples())) {
    const m = new RegExp(`<!-- example: ${name} -->\\n\`\`\`text\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
    assert.ok(m, `example ${name} missing from docs/apps_script.md`);
    assert.equal(m[1], asText(mail), `example ${name} is stale: run node apps_script/tests/examples.js`);
  }
});
