import { describe, expect, it } from 'vitest';
import { canonicalModel, recogniseModel } from '../../src-main/common/usage/models.ts';
import { canonicalProvider } from '../../src-main/common/usage/providers.ts';
import { tokenKindFromText } from '../../src-main/common/usage/token-kind-text.ts';
import { tokensPerUnit } from '../../src-main/common/usage/token-units.ts';

describe('tokenKindFromText', () => {
  // Meter, usage-type and SKU strings as the reference (invoice-formats.md §4, §10) shows them.
  it.each([
    ['gpt 4o 0513 Input global Tokens', 'input'],
    ['gpt 4o 0513 Output global Tokens', 'output'],
    ['gpt 4o 0806 cached Inp glbl Tokens', 'cache_read'],
    ['USE1-Claude3.5Sonnet-input-tokens', 'input'],
    ['USE1-Claude3.5Sonnet-cache-read-input-token-count', 'cache_read'],
    ['USE1-Claude3.5Sonnet-cache-write-input-token-count', 'cache_write'],
    ['Gemini 2.5 Pro Thinking Output', 'output'],
    ['Gemini 2.5 Flash Caching Storage', 'other'],
    ['deepseek-chat input_cache_hit_tokens', 'cache_read'],
    ['deepseek-chat input_cache_miss_tokens', 'input'],
    ['Claude Sonnet 4 - Cache Write Tokens', 'cache_write'],
  ])('reads "%s" as %s', (text, kind) => {
    expect(tokenKindFromText(text)).toBe(kind);
  });

  it('returns nothing when the text names no direction', () => {
    expect(tokenKindFromText('Premium SSD Managed Disks - P6 LRS')).toBeUndefined();
  });
});

describe('canonicalModel', () => {
  it.each([
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt 4o 0806 Inp glbl Tokens', 'gpt-4o'],
    ['gpt-4o-mini-2024-07-18 - Input Tokens', 'gpt-4o-mini'],
    ['gpt-5.2-pro-2025-12-11', 'gpt-5.2-pro'],
    ['gpt-5.2-2025-12-11', 'gpt-5.2'],
    ['USE1-Claude3.5Sonnet-input-tokens', 'claude-3.5-sonnet'],
    ['Claude Sonnet 4.5', 'claude-sonnet-4.5'],
    ['claude-3-5-haiku-20241022', 'claude-3.5-haiku'],
    ['deepseek-reasoner', 'deepseek-reasoner'],
    ['qwen-max input_tokens', 'qwen-max'],
    ['Gemini 2.5 Flash Lite Input', 'gemini-2.5-flash-lite'],
  ])('maps "%s" to %s', (text, model) => {
    expect(canonicalModel(text)).toBe(model);
  });

  it('keeps unknown models as their cleaned text, without charge words', () => {
    expect(recogniseModel('acme-llm-7b Input Tokens')).toBeUndefined();
    expect(canonicalModel('acme-llm-7b Input Tokens')).toBe('acme llm 7b');
  });
});

describe('tokensPerUnit', () => {
  it('reads token units with their block size', () => {
    expect(tokensPerUnit('Tokens')).toBe(1);
    expect(tokensPerUnit('1000 Tokens')).toBe(1000);
    expect(tokensPerUnit('1K Tokens')).toBe(1000);
    expect(tokensPerUnit('1M tokens')).toBe(1_000_000);
    expect(tokensPerUnit('1,000,000 Tokens')).toBe(1_000_000);
  });

  it('accepts a bare "1K" only when the meter is about tokens', () => {
    expect(tokensPerUnit('1K')).toBeUndefined();
    expect(tokensPerUnit('1K', true)).toBe(1000);
  });

  it('does not take other units for tokens', () => {
    for (const unit of ['GB', 'Hours', 'Requests', 'Token Allocation', '']) expect(tokensPerUnit(unit)).toBeUndefined();
  });
});

describe('canonicalProvider', () => {
  it('maps the names exports use to one id', () => {
    expect(canonicalProvider('Microsoft')).toBe('azure');
    expect(canonicalProvider('Amazon Web Services, Inc.')).toBe('aws');
    expect(canonicalProvider('AWS')).toBe('aws');
    expect(canonicalProvider('Alibaba Cloud')).toBe('alibaba');
    expect(canonicalProvider('ACME Corp')).toBe('acme-corp');
  });
});
