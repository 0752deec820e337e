// A compare as people read it: the blocks of the text in reading order, each in its own direction
// (Urdu, Dari and Pashto right-to-left, in the editor's typefaces), insertions underlined and
// deletions struck through, and every change saying whose delegation made it in text (a tag, a
// tooltip and words for screen readers), never by colour alone. Then the counts.
import type { DiffBlock, DiffSide, DiffSpan, DiffSummary, VersionDiff } from '../../../shared/versions.js';
import { DELEGATION_NAMES, DELEGATIONS, type Delegation } from '../../../shared/workspace.js';
import { detectArabicScriptLanguage } from '../editor/script-language.js';
import { DELEGATION_BADGES } from '../workspace/wording.js';

/** "inserted by Pakistan (Amina)", "deleted", for the tooltip and the hidden words of a span. */
export function describeSpan(span: DiffSpan): string {
  const verb = span.type === 'insert' ? 'inserted' : span.type === 'delete' ? 'deleted' : 'unchanged';
  if (span.type === 'same' || !span.delegation) return verb;
  const who = DELEGATION_NAMES[span.delegation];
  return span.author ? `${verb} by ${who} (${span.author})` : `${verb} by ${who}`;
}

export function DiffSpanView({ span }: { span: DiffSpan }) {
  if (span.type === 'same') return <>{span.text}</>;
  const description = describeSpan(span);
  const Tag = span.type === 'insert' ? 'ins' : 'del';
  const delegationClass = span.delegation ? ` diff-change--${span.delegation}` : '';
  return (
    <Tag className={`diff-change diff-change--${span.type}${delegationClass}`} title={description.charAt(0).toUpperCase() + description.slice(1)}>
      <span className="visually-hidden">[{description}: </span>
      {span.text}
      <span className="visually-hidden">]</span>
      {span.delegation && (
        <sup className="diff-who" aria-hidden="true">
          {DELEGATION_BADGES[span.delegation]}
        </sup>
      )}
    </Tag>
  );
}

function blockClass(block: DiffBlock): string {
  const classes = ['diff-block', `diff-block--${block.node}`, `diff-block--${block.change}`];
  if (block.node === 'heading' && typeof block.attrs['level'] === 'number') classes.push(`diff-block--h${block.attrs['level']}`);
  if (block.path.includes('bulletList')) classes.push('diff-block--bullet');
  if (block.path.includes('orderedList')) classes.push('diff-block--numbered');
  if (block.path.includes('blockquote')) classes.push('diff-block--quote');
  return classes.join(' ');
}

const BLOCK_CHANGE_WORDS: Record<DiffBlock['change'], string | null> = {
  same: null,
  inserted: 'New block: ',
  deleted: 'Removed block: ',
};

export function DiffBlockView({ block }: { block: DiffBlock }) {
  const words = BLOCK_CHANGE_WORDS[block.change];
  if (block.node === 'horizontalRule') {
    return (
      <div className={blockClass(block)}>
        {words && <span className="visually-hidden">{words}separator line</span>}
        <hr />
      </div>
    );
  }
  const text = block.spans.map((span) => span.text).join('');
  const lang = detectArabicScriptLanguage(text);
  return (
    <p className={blockClass(block)} dir="auto" {...(lang ? { lang } : {})}>
      {words && <span className="visually-hidden">{words}</span>}
      {block.spans.map((span, index) => (
        <DiffSpanView key={index} span={span} />
      ))}
    </p>
  );
}

export function sideName(side: DiffSide): string {
  if (side.id === 'live') return 'the live text';
  const number = side.number === null ? 'a version' : `version ${side.number}`;
  return side.name ? `${number} “${side.name}”` : number;
}

export function summaryText(summary: DiffSummary): string {
  if (summary.insertions === 0 && summary.deletions === 0) return 'No differences.';
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  return `${plural(summary.insertedCharacters, 'character', 'characters')} inserted (${plural(summary.insertions, 'place', 'places')}), ${plural(
    summary.deletedCharacters,
    'character',
    'characters',
  )} deleted (${plural(summary.deletions, 'place', 'places')}).`;
}

export function DiffSummaryView({ summary }: { summary: DiffSummary }) {
  const rows = ([...DELEGATIONS, 'unknown'] as Array<Delegation | 'unknown'>).flatMap((key) => {
    const counts = summary.byDelegation[key];
    return counts ? [{ key, counts }] : [];
  });
  return (
    <div className="diff-summary">
      <p>{summaryText(summary)}</p>
      {rows.length > 0 && (
        <ul className="diff-by-delegation" aria-label="Changes by delegation">
          {rows.map(({ key, counts }) => (
            <li key={key}>
              {key === 'unknown' ? 'Author not known' : DELEGATION_NAMES[key]}: {counts.inserted} characters inserted, {counts.deleted} deleted
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function DiffView({ diff }: { diff: VersionDiff }) {
  return (
    <div className="diff">
      <p className="diff-sides">
        From {sideName(diff.from)} to {sideName(diff.to)}
      </p>
      <DiffSummaryView summary={diff.summary} />
      <div className="diff-text version-text">
        {diff.blocks.map((block, index) => (
          <DiffBlockView key={index} block={block} />
        ))}
      </div>
    </div>
  );
}
