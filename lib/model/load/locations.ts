/**
 * Line numbers of resource blocks in a Terraform JSON file (`cdk.tf.json`), for SARIF
 * locations. One linear pass over the text: it tracks strings, nesting and the key path,
 * and records the line of every key at depth 3 under `resource` / `data`
 * (`"resource": { "<type>": { "<name>": {`), pretty-printed or minified alike.
 */

/** Address (`aws_s3_bucket.keys`, `data.aws_iam_policy_document.p`) → 1-based line. */
export function resourceLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const path: (string | undefined)[] = [];
  let line = 1;
  let depth = 0;
  let pendingKey: string | undefined;
  let pendingLine = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
    } else if (c === 34) {
      // a string: a key when followed by ':'
      const start = i + 1;
      const startLine = line;
      i++;
      let escaped = false;
      let s = '';
      let plain = true;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (escaped) escaped = false;
        else if (d === 92) {
          escaped = true;
          plain = false;
        } else if (d === 34) break;
        else if (d === 10) line++;
        i++;
      }
      s = text.slice(start, i);
      if (!plain) {
        try {
          s = JSON.parse(`"${s}"`) as string;
        } catch {
          // keep the raw text
        }
      }
      i++;
      let j = i;
      while (j < n && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r' || text[j] === '\n')) j++;
      if (text[j] === ':') {
        pendingKey = s;
        pendingLine = startLine;
      }
    } else if (c === 123 || c === 91) {
      // { or [: the value of the pending key (if any) opens one level deeper
      path[depth] = c === 123 ? pendingKey : undefined;
      // path[1] is the top-level block (`resource`), path[2] the type, pendingKey the name.
      if (c === 123 && depth === 3 && (path[1] === 'resource' || path[1] === 'data') && path[2] !== undefined && pendingKey !== undefined) {
        const address = `${path[1] === 'data' ? 'data.' : ''}${path[2]}.${pendingKey}`;
        if (!out.has(address)) out.set(address, pendingLine);
      }
      depth++;
      pendingKey = undefined;
      i++;
    } else if (c === 125 || c === 93) {
      depth--;
      pendingKey = undefined;
      i++;
    } else if (c === 44) {
      pendingKey = undefined;
      i++;
    } else {
      i++;
    }
  }
  return out;
}
