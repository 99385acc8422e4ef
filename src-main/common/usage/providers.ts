/**
 * Canonical provider ids: who serves the model to us (and bills for it). Names in exports vary
 * ("Microsoft", "Amazon Web Services, Inc.", "AWS"), the id does not.
 */
const PROVIDER_ALIASES: ReadonlyArray<[RegExp, string]> = [
  [/^openai\b/i, 'openai'],
  [/^anthropic\b/i, 'anthropic'],
  [/^(microsoft|azure)\b/i, 'azure'],
  [/^(aws|amazon)\b/i, 'aws'],
  [/^(google|gcp)\b/i, 'gcp'],
  [/^deepseek\b/i, 'deepseek'],
  [/^(alibaba|aliyun|dashscope)\b/i, 'alibaba'],
  [/^(moonshot|kimi)\b/i, 'moonshot'],
  [/^(zhipu|bigmodel)\b/i, 'zhipu'],
  [/^(volcengine|volcano|bytedance)\b/i, 'volcengine'],
  [/^(oracle|oci)\b/i, 'oracle'],
  [/^mistral\b/i, 'mistral'],
  [/^ibm\b/i, 'ibm'],
];

const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  azure: 'Microsoft Azure',
  aws: 'AWS',
  gcp: 'Google Cloud',
  deepseek: 'DeepSeek',
  alibaba: 'Alibaba Cloud',
  moonshot: 'Moonshot AI',
  zhipu: 'Zhipu AI',
  volcengine: 'Volcano Engine',
  oracle: 'Oracle Cloud',
  mistral: 'Mistral AI',
  ibm: 'IBM Cloud',
};

export function canonicalProvider(name: string): string {
  const trimmed = name.trim();
  for (const [pattern, id] of PROVIDER_ALIASES) if (pattern.test(trimmed)) return id;
  return trimmed.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'unknown';
}

export function providerDisplayName(id: string): string {
  return DISPLAY_NAMES[id] ?? id;
}
