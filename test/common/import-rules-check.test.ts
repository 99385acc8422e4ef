import { describe, expect, it } from 'vitest';
import { checkImportRules } from '../../src-main/common/usage/import-rules-check.ts';

describe('checkImportRules', () => {
  it('accepts a rule list and alias table that can be saved', () => {
    expect(
      checkImportRules(
        [
          { priority: 10, field: 'project', pattern: 'proj_*', costCentre: 'Research' },
          { priority: 20, field: 'provider', pattern: 'azure', costCentre: 'Platform' },
        ],
        [{ alias: 'gpt-4o-2024-08-06', canonical: 'gpt-4o' }],
      ),
    ).toEqual([]);
  });

  it('names the row and the field of every problem', () => {
    expect(
      checkImportRules(
        [
          { priority: 1.5, field: 'project', pattern: ' ', costCentre: 'Research' },
          { priority: 10, field: 'model', pattern: 'deepseek-*', costCentre: '' },
          { priority: 10, field: 'model', pattern: 'DeepSeek-*', costCentre: 'Research' },
        ],
        [
          { alias: 'GPT-4o-mini', canonical: 'gpt-4o-mini' },
          { alias: 'gpt-4o-mini ', canonical: '' },
        ],
      ),
    ).toEqual([
      'Rule 1: the priority must be a whole number',
      'Rule 1: the pattern is empty',
      'Rule 2: the cost centre is empty',
      'Rule 3: the same priority, field and pattern as rule 2, so it would never apply',
      'Model name 2: the model to count it as is empty',
      'Model name 2: "gpt-4o-mini" is already listed as model name 1',
    ]);
  });
});
