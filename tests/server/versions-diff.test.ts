// Compares: a diff of known edits highlights exactly those edits (English, Urdu, Dari with its
// zero-width non-joiner, Pashto), block pairing keeps edits inside their paragraph, the block-level
// Myers diff is exact, and over the API insertions and deletions are attributed to the delegation
// whose people made them — still after a restart.
import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import type { DiffBlock, SaveVersionAnswer, VersionDiff } from '../../shared/versions.js';
import scripts from '../fixtures/scripts.json' with { type: 'json' };
import { changeSize, compareDocuments } from '../../server/versions/compare.js';
import { diffSequences } from '../../server/versions/sequence-diff.js';
import { requestSave } from '../helpers/provider.js';
import { seededRandom } from '../helpers/seed.js';
import { organiserToken } from '../helpers/test-access.js';
import { startTestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { api, blockTexts, connectAs, invite, pmDoc, schema, setBlocks, typeInto } from './versions-support.js';

const sample = (lang: string): string => {
  const found = scripts.samples.find((s) => s.lang === lang);
  if (!found) throw new Error(`no ${lang} sample`);
  return found.text;
};
const en = sample('en');
const ur = sample('ur');
const dari = sample('fa-AF');
const ps = sample('ps');
const ZWNJ = '\u200c';

/** Blocks as compact tuples: [change, [type, text, delegation?]…]. */
function spansOf(blocks: readonly DiffBlock[]): Array<[string, Array<[string, string] | [string, string, string]>]> {
  return blocks.map((block) => [
    block.change,
    block.spans.map((span) => (span.delegation ? [span.type, span.text, span.delegation] : [span.type, span.text])),
  ]);
}

describe('compare', () => {
  it('highlights exactly the known edits, in four languages, with the zero-width non-joiner intact', () => {
    expect(dari).toContain(`توصیه${ZWNJ}های`);
    const before = pmDoc([en, ur, dari, ps, 'Closing paragraph, unchanged.']);
    const after = pmDoc([
      en.replace('peace and cooperation', 'peace, trade and cooperation'), // insertion
      ur.replace(' سفارشات', ''), // deletion of the last word
      dari.replace(`توصیه${ZWNJ}های`, 'توصیههای').replace('همکاری', `همکاری می${ZWNJ}خواهیم`), // ZWNJ removed; one added
      ps.replace('سولې', 'امن'), // a word replaced
      'ګډه اعلامیه', // a new Pashto paragraph
      'Closing paragraph, unchanged.',
    ]);
    const { summary, blocks } = compareDocuments(before, after);
    expect(spansOf(blocks)).toEqual([
      ['same', [['same', 'Joint recommendations for peace'], ['insert', ', trade'], ['same', ' and cooperation between Pakistan and Afghanistan.']]],
      ['same', [['same', 'پاکستان اور افغانستان کے درمیان امن اور تعاون کے لیے مشترکہ'], ['delete', ' سفارشات']]],
      [
        'same',
        [
          ['same', 'توصیه'],
          ['delete', ZWNJ],
          ['same', 'های مشترک برای صلح و همکاری'],
          ['insert', ` می${ZWNJ}خواهیم`],
          ['same', ' میان افغانستان و پاکستان'],
        ],
      ],
      ['same', [['same', 'د افغانستان او پاکستان ترمنځ د '], ['delete', 'سولې'], ['insert', 'امن'], ['same', ' او همکارۍ لپاره ګډې سپارښتنې']]],
      ['inserted', [['insert', 'ګډه اعلامیه']]],
      ['same', [['same', 'Closing paragraph, unchanged.']]],
    ]);
    const inserted = ', trade'.length + ` می${ZWNJ}خواهیم`.length + 'امن'.length + 'ګډه اعلامیه'.length;
    const deleted = ' سفارشات'.length + 1 + 'سولې'.length;
    expect(summary).toEqual({
      insertedCharacters: inserted,
      deletedCharacters: deleted,
      insertions: 4,
      deletions: 3,
      byDelegation: { unknown: { inserted, deleted } },
    });
    expect(changeSize(before, after)).toEqual({ inserted, deleted });
    const unchanged = compareDocuments(before, before);
    expect(unchanged.summary).toEqual({ insertedCharacters: 0, deletedCharacters: 0, insertions: 0, deletions: 0, byDelegation: {} });
    expect(spansOf(unchanged.blocks)).toEqual([en, ur, dari, ps, 'Closing paragraph, unchanged.'].map((text) => ['same', [['same', text]]]));
  });

  it('keeps an edit inside its own paragraph when a new paragraph follows it, and shows deleted paragraphs where they were', () => {
    const before = pmDoc(['Trade routes should reopen.', 'Water sharing is deferred.', 'Visas for students.']);
    const after = pmDoc([
      'Trade routes should reopen soon.',
      'An annex lists the border crossings.',
      'Visas for students.',
      { type: 'heading', text: 'Annex', attrs: { level: 2 } },
    ]);
    const { blocks } = compareDocuments(before, after);
    expect(blocks.map((b) => [b.node, b.change, b.spans.map((s) => `${s.type}:${s.text}`)])).toEqual([
      ['paragraph', 'same', ['same:Trade routes should reopen', 'insert: soon', 'same:.']],
      ['paragraph', 'deleted', ['delete:Water sharing is deferred.']],
      ['paragraph', 'inserted', ['insert:An annex lists the border crossings.']],
      ['paragraph', 'same', ['same:Visas for students.']],
      ['heading', 'inserted', ['insert:Annex']],
    ]);
    expect(blocks[4]?.attrs).toMatchObject({ level: 2 });
  });

  it('shows a formatting change (which changes the content hash) as the text deleted and inserted again', () => {
    const before = pmDoc(['The delegations agreed.']);
    const after = schema.nodeFromJSON({
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [{ type: 'text', text: 'The delegations ' }, { type: 'text', text: 'agreed', marks: [{ type: 'bold' }] }, { type: 'text', text: '.' }],
        },
      ],
    });
    const { summary, blocks } = compareDocuments(before, after);
    expect(spansOf(blocks)).toEqual([['same', [['same', 'The delegations '], ['delete', 'agreed'], ['insert', 'agreed'], ['same', '.']]]]);
    expect(summary).toMatchObject({ insertedCharacters: 6, deletedCharacters: 6 });
  });

  it('finds edits at both ends of a long text (beyond prosemirror-changeset’s single-range limits)', () => {
    const paragraphs = Array.from({ length: 600 }, (_, i) => `Paragraph ${i} of the communiqué, with some ordinary text in it.`);
    const edited = [...paragraphs];
    edited[0] = edited[0]?.replace('ordinary', 'agreed') ?? '';
    edited[599] = edited[599]?.replace('some', 'no') ?? '';
    const { summary, blocks } = compareDocuments(pmDoc(paragraphs), pmDoc(edited));
    const changed = blocks.filter((b) => b.spans.some((s) => s.type !== 'same'));
    expect(changed.map((b) => b.spans.filter((s) => s.type !== 'same').map((s) => `${s.type}:${s.text}`))).toEqual([
      ['delete:ordinary', 'insert:agreed'],
      ['delete:some', 'insert:no'],
    ]);
    expect(summary).toMatchObject({ insertedCharacters: 'agreed'.length + 2, deletedCharacters: 'ordinary'.length + 4 });
  });

  it('aligns sequences exactly (Myers over random edits)', () => {
    const { rng } = seededRandom();
    for (let round = 0; round < 200; round++) {
      const a = Array.from({ length: prng.uint32(rng, 0, 40) }, () => String(prng.uint32(rng, 0, 6)));
      const b = [...a];
      for (let edits = prng.uint32(rng, 0, 8); edits > 0; edits--) {
        const at = prng.uint32(rng, 0, b.length);
        if (prng.bool(rng) && b.length > 0) b.splice(Math.min(at, b.length - 1), 1);
        else b.splice(at, 0, String(prng.uint32(rng, 0, 6)));
      }
      // Applying the regions to `a` must give `b`, and everything outside them must match.
      const rebuilt: string[] = [];
      let cursor = 0;
      for (const region of diffSequences(a, b)) {
        expect(a.slice(cursor, region.aFrom)).toEqual(b.slice(rebuilt.length, rebuilt.length + region.aFrom - cursor));
        rebuilt.push(...a.slice(cursor, region.aFrom), ...b.slice(region.bFrom, region.bTo));
        cursor = region.aTo;
      }
      rebuilt.push(...a.slice(cursor));
      expect(rebuilt).toEqual(b);
    }
  });
});

describe('compare over the API', () => {
  it('attributes insertions and deletions to the delegation that made them, also after a restart', async () => {
    const server = await startTestServer();
    const organiser = await organiserToken(server.url);
    const pk = await invite(server, 'delegate', 'security', 'pk', 'Bilal');
    const af = await invite(server, 'delegate', 'security', 'af', 'Zarghuna');
    const DOC = 'attributed-compare';
    const pkClient = await connectAs(server, DOC, pk.token);
    const afClient = await connectAs(server, DOC, af.token);

    setBlocks(pkClient.doc, ['The delegations agree to reopen trade routes.', 'Water sharing is deferred.']);
    await requestSave(pkClient.provider, 1);
    const v1 = (await api<SaveVersionAnswer>(server, organiser, 'POST', `/documents/${DOC}/versions`, { name: 'v1' })).body;
    await waitFor(() => expect(blockTexts(afClient.doc)).toHaveLength(2));

    // Pakistan adds an Urdu paragraph; Afghanistan deletes "trade " and types Pashto at the end.
    setBlocks(pkClient.doc, ['The delegations agree to reopen trade routes.', 'Water sharing is deferred.', ur]);
    await requestSave(pkClient.provider, 2);
    await waitFor(() => expect(blockTexts(afClient.doc)).toHaveLength(3));
    const firstBlock = afClient.doc.getXmlFragment('default').get(0);
    const text = firstBlock && 'get' in firstBlock ? firstBlock.get(0) : null;
    if (!text || !('delete' in text)) throw new Error('no text in the first block');
    text.delete('The delegations agree to reopen '.length, 'trade '.length);
    typeInto(afClient.doc, 1, 'Water sharing is deferred.'.length, ' د سولې');
    await requestSave(afClient.provider, 1);

    const expected = {
      blocks: [
        ['same', [['same', 'The delegations agree to reopen '], ['delete', 'trade ', 'af'], ['same', 'routes.']]],
        ['same', [['same', 'Water sharing is deferred.'], ['insert', ' د سولې', 'af']]],
        ['inserted', [['insert', ur, 'pk']]],
      ],
      byDelegation: { pk: { inserted: ur.length, deleted: 0 }, af: { inserted: ' د سولې'.length, deleted: 'trade '.length } },
    };
    const compare = async (base: string, to: string): Promise<VersionDiff> => {
      const answer = await api<VersionDiff>({ url: base }, organiser, 'GET', `/documents/${DOC}/versions/${v1.id}/diff?to=${to}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    };
    const live = await compare(server.url, 'live');
    expect(spansOf(live.blocks)).toEqual(expected.blocks);
    expect(live.summary.byDelegation).toEqual(expected.byDelegation);
    expect(live.blocks[2]?.spans[0]?.author).toBe('Bilal');
    expect(live.from).toMatchObject({ id: v1.id, number: 1, name: 'v1', contentHash: v1.version.contentHash });
    expect(live.to).toMatchObject({ id: 'live', number: null });

    // The same compare against a saved version, and after a restart (attribution is stored).
    const v2 = (await api<SaveVersionAnswer>(server, organiser, 'POST', `/documents/${DOC}/versions`, { name: 'v2' })).body;
    expect(v2.version.change).toEqual({ inserted: ur.length + ' د سولې'.length, deleted: 'trade '.length });
    pkClient.provider.destroy();
    afClient.provider.destroy();
    await server.close();
    const again = await startTestServer({ DATA_DIR: server.dataDir });
    const saved = await compare(again.url, v2.id);
    expect(spansOf(saved.blocks)).toEqual(expected.blocks);
    expect(saved.summary.byDelegation).toEqual(expected.byDelegation);
    // Backwards (v2 → v1): Afghanistan's deletion reads as an insertion of text Pakistan wrote.
    const backwards = (await api<VersionDiff>(again, organiser, 'GET', `/documents/${DOC}/versions/${v2.id}/diff?to=${v1.id}`)).body;
    expect(backwards.summary).toMatchObject({ insertedCharacters: 'trade '.length, deletedCharacters: ur.length + ' د سولې'.length });
    expect((await api(again, organiser, 'GET', `/documents/${DOC}/versions/${v1.id}/diff?to=nope`)).status).toBe(404);
  });
});
