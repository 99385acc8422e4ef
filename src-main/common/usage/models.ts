/**
 * Model families, as canonical ids, recognised in the text of exports: API ids ("gpt-4o-2024-08-06"),
 * meter names ("gpt 4o 0513 Input global Tokens"), usage types ("USE1-Claude3.5Sonnet-input-tokens") and display
 * names ("Claude Sonnet 4.5"). More specific patterns come first so that "gpt-4o-mini" never falls back to
 * "gpt-4o" and "gpt-5.2-pro" never to "gpt-5.2".
 */
const MODEL_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/gpt ?5\.2 ?pro/, 'gpt-5.2-pro'],
  [/gpt ?5\.1 ?mini/, 'gpt-5.1-mini'],
  [/gpt ?5\.1/, 'gpt-5.1'],
  [/gpt ?5\.2/, 'gpt-5.2'],
  [/gpt ?5 ?mini/, 'gpt-5-mini'],
  [/gpt ?5 ?nano/, 'gpt-5-nano'],
  [/gpt ?5/, 'gpt-5'],
  [/gpt ?4\.1 ?mini/, 'gpt-4.1-mini'],
  [/gpt ?4\.1 ?nano/, 'gpt-4.1-nano'],
  [/gpt ?4\.1/, 'gpt-4.1'],
  [/gpt ?4o ?mini/, 'gpt-4o-mini'],
  [/gpt ?4o/, 'gpt-4o'],
  [/gpt ?4 ?turbo/, 'gpt-4-turbo'],
  [/gpt ?3\.5/, 'gpt-3.5-turbo'],
  [/\bo4 ?mini\b/, 'o4-mini'],
  [/\bo3 ?mini\b/, 'o3-mini'],
  [/\bo3\b/, 'o3'],
  [/\bo1 ?mini\b/, 'o1-mini'],
  [/\bo1\b/, 'o1'],
  [/text ?embedding ?3 ?large/, 'text-embedding-3-large'],
  [/text ?embedding ?3 ?small/, 'text-embedding-3-small'],
  [/claude ?(opus ?4[ .]1|4[ .]1 ?opus)/, 'claude-opus-4.1'],
  [/claude ?(opus ?4[ .]5|4[ .]5 ?opus)/, 'claude-opus-4.5'],
  [/claude ?(sonnet ?4[ .]5|4[ .]5 ?sonnet)/, 'claude-sonnet-4.5'],
  [/claude ?(haiku ?4[ .]5|4[ .]5 ?haiku)/, 'claude-haiku-4.5'],
  [/claude ?(opus ?4|4 ?opus)/, 'claude-opus-4'],
  [/claude ?(sonnet ?4|4 ?sonnet)/, 'claude-sonnet-4'],
  [/claude ?(haiku ?4|4 ?haiku)/, 'claude-haiku-4'],
  [/claude ?(3 ?7 ?sonnet|sonnet ?3 ?7)/, 'claude-3.7-sonnet'],
  [/claude ?(3 ?5 ?sonnet|sonnet ?3 ?5)/, 'claude-3.5-sonnet'],
  [/claude ?(3 ?5 ?haiku|haiku ?3 ?5)/, 'claude-3.5-haiku'],
  [/claude ?(3 ?haiku|haiku ?3)/, 'claude-3-haiku'],
  [/claude ?(3 ?opus|opus ?3)/, 'claude-3-opus'],
  [/gemini ?3 ?pro/, 'gemini-3-pro'],
  [/gemini ?3 ?flash/, 'gemini-3-flash'],
  [/gemini ?2 ?5 ?pro/, 'gemini-2.5-pro'],
  [/gemini ?2 ?5 ?flash ?lite/, 'gemini-2.5-flash-lite'],
  [/gemini ?2 ?5 ?flash/, 'gemini-2.5-flash'],
  [/gemini ?2 ?0 ?flash/, 'gemini-2.0-flash'],
  [/gemini ?1 ?5 ?pro/, 'gemini-1.5-pro'],
  [/gemini ?1 ?5 ?flash/, 'gemini-1.5-flash'],
  [/deepseek ?v4 ?pro/, 'deepseek-v4-pro'],
  [/deepseek ?(v4 ?flash|flash)/, 'deepseek-flash'],
  [/deepseek ?(reasoner|r1)/, 'deepseek-reasoner'],
  [/deepseek ?(chat|v3)/, 'deepseek-chat'],
  [/qwen ?3 ?max/, 'qwen3-max'],
  [/qwen ?max/, 'qwen-max'],
  [/qwen ?plus/, 'qwen-plus'],
  [/qwen ?turbo/, 'qwen-turbo'],
  [/qwen ?flash/, 'qwen-flash'],
  [/llama ?3 ?3 ?70b/, 'llama-3.3-70b'],
  [/mistral ?large/, 'mistral-large'],
  [/nova ?pro/, 'amazon-nova-pro'],
  [/nova ?lite/, 'amazon-nova-lite'],
  [/nova ?micro/, 'amazon-nova-micro'],
  [/glm ?4 ?5|glm ?4\.5/, 'glm-4.5'],
  [/kimi ?k2/, 'kimi-k2'],
];

// Words that describe the charge, not the model: removed when the model is not recognised.
const NOISE_WORDS =
  /\b(input|output|inp|outp|cached|cache|read|write|hit|miss|tokens?|token count|count|global|regional|data ?zone|glbl|regnl|dz|batch|standard|per|1k|1m|million|thousand|usage)\b/g;

/** The canonical model id for a text found in an export, or the cleaned text itself when no family matches. */
export function canonicalModel(text: string): string {
  return recogniseModel(text) ?? cleanModelText(text);
}

/** The canonical id of a known model family named in `text`, or `undefined`. */
export function recogniseModel(text: string): string | undefined {
  const t = text
    .toLowerCase()
    .replace(/[_\-/:]+/g, ' ')
    .replace(/(\d)\s*\.\s*(\d)/g, '$1.$2')
    .replace(/\s+/g, ' ');
  // Usage types glue words together ("claude3.5sonnet"): also try with spaces between letters and digits.
  const spaced = t.replace(/([a-z])(\d)/g, '$1 $2').replace(/(\d)([a-z])/g, '$1 $2');
  const dotless = spaced.replace(/(\d)\.(\d)/g, '$1 $2');
  for (const [pattern, id] of MODEL_PATTERNS) {
    if (pattern.test(t) || pattern.test(spaced) || pattern.test(dotless)) return id;
  }
  return undefined;
}

/** `text` without the words that describe the charge rather than the model ("Input", "Tokens", "global"). */
export function cleanModelText(text: string): string {
  const t = text.toLowerCase().replace(/[_\-/:]+/g, ' ');
  const cleaned = t.replace(NOISE_WORDS, ' ').replace(/\s+/g, ' ').trim();
  return cleaned || 'unknown';
}
