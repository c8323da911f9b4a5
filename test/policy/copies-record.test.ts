/** The copies record keygen writes and MasterKey reads: one format, parsed strictly, merged by copy. */
import { describe, expect, it } from 'vitest';
import { COPIES_RECORD_KIND, COPIES_RECORD_VERSION, parseCopiesRecord, renderCopiesRecord, withCopies, type CopiesRecord, type RecordedCopy } from '../../lib/policy/copies-record';

const copy = (over: Partial<RecordedCopy> = {}): RecordedCopy => ({
  key: 'zitadel-master',
  app: 'zitadel',
  generation: 1,
  kind: 'cold',
  medium: 'nas',
  location: '/mnt/nas/zitadel/masterkey.g1.age',
  offsite: false,
  fingerprint: 'kcfp1:c2FsdA:aGFzaA',
  date: '2026-12-06',
  encryption: 'age',
  ...over,
});
const record = (copies: RecordedCopy[]): CopiesRecord => ({ kind: COPIES_RECORD_KIND, version: COPIES_RECORD_VERSION, copies });

describe('parseCopiesRecord', () => {
  it('reads back what renderCopiesRecord wrote', () => {
    const r = record([copy(), copy({ kind: 'paper', medium: 'paper', location: 'safe', offsite: true, encryption: 'plain' })]);
    const text = renderCopiesRecord(r);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseCopiesRecord(text, 'copies.json')).toEqual(r);
  });

  it('says a file that is not JSON, or not a copies record, is not one, naming the file', () => {
    expect(parseCopiesRecord('{', 'a.json')).toBe('the copies record a.json is not JSON; fix or move it');
    const notRecord = 'b.json is not a copies record (kind "cdktf-key-custody/copies", written by `key-custody keygen --manifest`)';
    expect(parseCopiesRecord('null', 'b.json')).toBe(notRecord);
    expect(parseCopiesRecord('"text"', 'b.json')).toBe(notRecord);
    expect(parseCopiesRecord(JSON.stringify({ kind: 'other', copies: [] }), 'b.json')).toBe(notRecord);
    expect(parseCopiesRecord(JSON.stringify({ kind: COPIES_RECORD_KIND, copies: {} }), 'b.json')).toBe(notRecord);
    expect(parseCopiesRecord(JSON.stringify({ kind: COPIES_RECORD_KIND }), 'b.json')).toBe(notRecord);
  });

  it('keeps only entries with a key, an integer generation, a kind, a medium and a location', () => {
    const good = copy();
    const bad = [null, 'x', { ...good, key: 1 }, { ...good, generation: 1.5 }, { ...good, generation: '1' }, { ...good, kind: undefined }, { ...good, medium: 2 }, { ...good, location: null }];
    const parsed = parseCopiesRecord(JSON.stringify({ kind: COPIES_RECORD_KIND, version: 7, copies: [...bad, good] }), 'c.json');
    expect(parsed).toEqual(record([good]));
  });
});

describe('withCopies', () => {
  it('replaces an entry for the same key, generation, medium and location, and keeps the others in order', () => {
    const a = copy();
    const b = copy({ location: '/mnt/nas/other.age' });
    const c = copy({ generation: 2 });
    const d = copy({ medium: 'disk' });
    const a2 = copy({ date: '2026-12-07' });
    const merged = withCopies(record([a, b, c, d]), [a2]);
    expect(merged.copies).toEqual([b, c, d, a2]);
    expect(withCopies(record([a]), [copy({ key: 'other' })]).copies).toHaveLength(2);
  });
});
