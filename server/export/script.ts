// Which script and language a piece of text is in, for export: a block takes its direction from its
// first strong character (as `dir="auto"` does in the editor), its Arabic-script language from the
// letters only one language uses, and its text splits into runs of Arabic script and of the rest,
// so each run can carry its own language and font (HTML `lang`, DOCX run properties).

export type ExportLanguage = 'en' | 'ur' | 'fa' | 'ps';
export type ArabicLanguage = Exclude<ExportLanguage, 'en'>;

/** Letters Pashto writes and Urdu and Dari do not. */
const PASHTO_LETTERS = /[\u0681\u06AB\u069A\u06CD\u06D0\u067C\u0689\u0693\u0696\u06BC]/u; // ځ ګ ښ ۍ ې ټ ډ ړ ږ ڼ
/** Letters Urdu writes and Dari and Pashto do not. */
const URDU_LETTERS = /[\u06D2\u0679\u0688\u0691\u06BA\u06BE]/u; // ے ٹ ڈ ڑ ں ھ
const ARABIC_LETTER = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/u;
/** A strong left-to-right or right-to-left character (approximately: letters). */
const STRONG = /[\p{L}]/u;
/**
 * A run of Arabic script: letters and marks of the Arabic blocks, with the spaces, zero-width
 * non-joiners and joiners between them (but not before or after), so parentheses, digits and Latin
 * text outside stay outside and the bidi algorithm places them.
 */
const ARABIC_RUN = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]+(?:[\s\u200C\u200D]+[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]+)*/gu;

/** The Arabic-script language of `text`, or null when it has no Arabic-script letter. */
export function arabicLanguageOf(text: string): ArabicLanguage | null {
  if (!ARABIC_LETTER.test(text)) return null;
  if (PASHTO_LETTERS.test(text)) return 'ps';
  if (URDU_LETTERS.test(text)) return 'ur';
  return 'fa';
}

/** True when the first strong character of `text` is Arabic script (what `dir="auto"` resolves to RTL). */
export function isRightToLeft(text: string): boolean {
  for (const char of text) {
    if (ARABIC_LETTER.test(char)) return true;
    if (STRONG.test(char)) return false;
  }
  return false;
}

export interface BlockScript {
  rtl: boolean;
  /** The block's own language (its `lang`). */
  language: ExportLanguage;
  /** The language of the Arabic-script runs inside it (the block's, or decided from all of them). */
  arabic: ArabicLanguage;
}

export function blockScript(text: string): BlockScript {
  const arabic = arabicLanguageOf(text) ?? 'fa';
  const rtl = isRightToLeft(text);
  return { rtl, language: rtl ? arabic : 'en', arabic };
}

export interface ScriptRun {
  text: string;
  arabic: boolean;
}

/** `text` cut into alternating runs of Arabic script and everything else, in logical order. */
export function scriptRuns(text: string): ScriptRun[] {
  const runs: ScriptRun[] = [];
  let last = 0;
  for (const match of text.matchAll(ARABIC_RUN)) {
    if (match.index > last) runs.push({ text: text.slice(last, match.index), arabic: false });
    runs.push({ text: match[0], arabic: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last), arabic: false });
  return runs;
}

/** BCP 47 tags for documents (DOCX wants a region). */
export const LANGUAGE_TAGS: Record<ExportLanguage, string> = { en: 'en-GB', ur: 'ur-PK', fa: 'fa-AF', ps: 'ps-AF' };

/** The fonts fonts-noto-core installs, by language. */
export const LANGUAGE_FONTS: Record<ExportLanguage, string> = {
  en: 'Noto Sans',
  ur: 'Noto Nastaliq Urdu',
  fa: 'Noto Naskh Arabic',
  ps: 'Noto Naskh Arabic',
};
