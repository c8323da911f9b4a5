// The paper copy: a printable HTML page with the key in large grouped monospace characters,
// what the key is, its fingerprint and the runbook's envelope instructions. No QR code: a QR
// of the master key is read back with a phone camera, whose apps keep scan histories and
// often sync them, which makes the phone one more uncounted copy; the runbook restores paper
// by typing, and the fingerprint check (`verify-key --fingerprint`) catches a typing error.

/** What the sheet says besides the key. */
export interface PaperFacts {
  readonly app: string;
  readonly keyId: string;
  readonly generation: number;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly fingerprint: string;
  /** Path of the hot copy, for the restore command. */
  readonly hotPath?: string;
  /** Characters in the key (for `head -c`). */
  readonly length: number;
  /** Numeric `uid:gid` the key file belongs to (`0:0`, or the app's user, Zitadel: `1000:1000`). @default '0:0' */
  readonly owner?: string;
  /** Mode of the key file. @default '0400' */
  readonly mode?: string;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The key in lines of 8 groups of 4, each line numbered by its first character's position. */
function keyLines(key: Uint8Array): string[] {
  const lines: string[] = [];
  for (let i = 0; i < key.length; i += 32) {
    const groups: string[] = [];
    for (let j = i; j < Math.min(i + 32, key.length); j += 4) groups.push(esc(Buffer.from(key.subarray(j, Math.min(j + 4, key.length))).toString('latin1')));
    lines.push(`<tr><td class="pos">${i + 1}</td><td class="key">${groups.join('<span class="gap"> </span>')}</td></tr>`);
  }
  return lines;
}

/** The HTML of the sheet. The caller zeroes the returned buffer after writing it. */
export function paperSheet(key: Uint8Array, f: PaperFacts): Buffer {
  const hot = f.hotPath ?? '<hot copy path>';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(f.app)} master key ${esc(f.keyId)} generation ${f.generation}</title>
<meta name="robots" content="noindex">
<style>
body{font-family:sans-serif;margin:2cm;color:#000}
h1{font-size:18pt;margin:0 0 .3cm}
table.facts td{padding:2px 12px 2px 0;font-size:11pt}
table.keytab{margin:.8cm 0;border:2px solid #000;padding:.4cm}
td.pos{font:10pt monospace;color:#555;padding-right:.6cm;vertical-align:middle}
td.key{font:bold 24pt/1.6 "DejaVu Sans Mono","Courier New",monospace;letter-spacing:.08em;white-space:pre}
.gap{display:inline-block;width:.6em}
code{font:10pt monospace;word-break:break-all}
ol li{margin:.15cm 0;font-size:11pt}
@media print{body{margin:1.5cm}}
</style></head>
<body>
<h1>MASTER KEY &mdash; ${esc(f.app)} &mdash; ${esc(f.keyId)}</h1>
<table class="facts">
<tr><td>App</td><td>${esc(f.app)}</td></tr>
<tr><td>Key id</td><td>${esc(f.keyId)}</td></tr>
<tr><td>Generation</td><td>${f.generation}</td></tr>
<tr><td>Made on</td><td>${esc(f.date)}</td></tr>
<tr><td>Length</td><td>${f.length} characters, no spaces, no newline (the gaps are for reading only)</td></tr>
<tr><td>Fingerprint</td><td><code>${esc(f.fingerprint)}</code></td></tr>
</table>
<table class="keytab">
${keyLines(key).join('\n')}
</table>
<h2>Envelope</h2>
<ol>
<li>Print this page on a printer that keeps no copy (no cloud printing, no print server queue kept); do not save it as PDF.</li>
<li>Check the printout against the screen character by character, then delete this HTML file (<code>shred -u</code> where the disk allows).</li>
<li>Fold the sheet, seal it in a tamper-evident envelope, write the key id, generation, date and the envelope's serial number on the outside.</li>
<li>Store the envelope in the physical safe, away from the database backups. Record who sealed it and where it is.</li>
<li>On every key regeneration, make a new sheet and destroy the old envelope once the old generation is retired and no DB backup needs it.</li>
</ol>
<h2>Restore from this sheet</h2>
<ol>
<li>As root: <code>install -d -m 0700 -o root -g root ${esc(hot.replace(/\/[^/]*$/, '') || '/')}</code></li>
<li>Type the key without spaces, then press Ctrl-D twice: <code>(umask 077; head -c ${f.length} &gt; ${esc(hot)})</code></li>
<li>Give it its owner and mode: <code>chown ${esc(f.owner === undefined || f.owner === '0:0' ? 'root:root' : f.owner)} ${esc(hot)} &amp;&amp; chmod ${esc(f.mode ?? '0400')} ${esc(hot)}</code></li>
<li>Check it: <code>key-custody verify-key ${esc(hot)} --app ${esc(f.app)}${f.owner !== undefined ? ` --owner ${esc(f.owner)}` : ''} --fingerprint ${esc(f.fingerprint)}</code> must say the fingerprint matches.</li>
</ol>
</body></html>
`;
  return Buffer.from(html, 'utf8');
}
