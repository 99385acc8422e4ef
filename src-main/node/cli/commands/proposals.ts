import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { RequestOf, ResponseOf } from '../../../common/api/contract.ts';
import { DomainError } from '../../../common/errors.ts';
import { segmentLabel } from '../../../common/forecast/token-forecast.ts';
import { formatMoneyText, formatQuantity, formatRatioPercent } from '../../../common/hedging/numbers.ts';
import type { AppContext } from '../../app-context.ts';
import { UsageError } from '../usage-error.ts';
import { openWorkbookContext, value, type Command } from './shared.ts';

type Proposal = ResponseOf<'proposals:get'>;

export const proposeCommand: Command = {
  usage: `propose --forecast-run N --policy ID|NAME --instrument CODE [--workbook FILE] [--instrument-version N] [--mapping ID]
                  [--curve-date YYYY-MM-DD] [--ratio policy|minimum-variance] [--horizon N] [--sigma S] [--mean-reversion K]
                  [--correlation R] [--paths N] [--seed N] [--confidence C] [--save --prepared-by NAME [--label TEXT]]
                  [--explain] [--format table|json]
      Builds a hedge proposal from a saved forecast run, a policy, an instrument and a forward curve: contracts per
      month with the derivation of every number (--explain), and the cost-at-risk with and without the hedge by
      Monte Carlo (σ from the index history unless --sigma). --save keeps it, immutable, as prepared by NAME.`,
  run: propose,
};

export const proposalsCommand: Command = {
  usage: `proposals list|show ID|compare ID ID…|approve ID --approver NAME [--note TEXT] [--workbook FILE] [--explain] [--format table|json]
      Saved hedge proposals: list them, show one, compare several side by side, or approve one. The approver must
      not be the preparer; the names are typed (the app has no login) and the OS account is recorded too — a
      control record, not authentication. Approval designates a hedge relationship and a pending buy trade per
      month with contracts.`,
  run: proposals,
};

const number = (text: string | undefined, flag: string, check: (n: number) => boolean, what: string): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`${flag} must be ${what}`);
  return n;
};
const wholeFrom1 = (n: number) => Number.isInteger(n) && n >= 1;

async function propose(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      workbook: { type: 'string' },
      'forecast-run': { type: 'string' },
      policy: { type: 'string' },
      instrument: { type: 'string' },
      'instrument-version': { type: 'string' },
      mapping: { type: 'string' },
      'curve-date': { type: 'string' },
      ratio: { type: 'string' },
      horizon: { type: 'string' },
      sigma: { type: 'string' },
      'mean-reversion': { type: 'string' },
      correlation: { type: 'string' },
      paths: { type: 'string' },
      seed: { type: 'string' },
      confidence: { type: 'string' },
      save: { type: 'boolean', default: false },
      'prepared-by': { type: 'string' },
      label: { type: 'string', default: '' },
      explain: { type: 'boolean', default: false },
      format: { type: 'string', default: 'table' },
    },
    strict: true,
  });
  const format = checkFormat(values.format);
  const runId = number(values['forecast-run'], '--forecast-run', wholeFrom1, 'a saved forecast run id (see forecast runs)');
  if (runId === undefined) throw new UsageError('--forecast-run is required (see "forecast runs")');
  if (!values.policy) throw new UsageError('--policy is required (a policy id or name)');
  if (!values.instrument) throw new UsageError('--instrument is required (an instrument code)');
  if (values.ratio !== undefined && values.ratio !== 'policy' && values.ratio !== 'minimum-variance') throw new UsageError('--ratio must be policy or minimum-variance');
  if (values.save && !values['prepared-by']?.trim()) throw new UsageError('--save needs --prepared-by NAME: the preparer is recorded');
  const simulation: RequestOf<'proposals:build'>['simulation'] = {};
  const sigma = number(values.sigma, '--sigma', (n) => n >= 0 && n <= 5, 'an annual volatility from 0 to 5 (0.4 = 40 %)');
  if (sigma !== undefined) simulation.sigma = sigma;
  const kappa = number(values['mean-reversion'], '--mean-reversion', (n) => n >= 0 && n <= 50, 'a mean-reversion speed κ from 0 to 50 a year');
  if (kappa !== undefined) simulation.meanReversion = kappa;
  const rho = number(values.correlation, '--correlation', (n) => n >= -1 && n <= 1, 'a correlation from -1 to 1');
  if (rho !== undefined) simulation.volumePriceCorrelation = rho;
  const paths = number(values.paths, '--paths', (n) => Number.isInteger(n) && n >= 1000 && n <= 200_000, 'a whole number of paths from 1,000 to 200,000');
  if (paths !== undefined) simulation.paths = paths;
  const seed = number(values.seed, '--seed', (n) => Number.isInteger(n) && n >= 0 && n <= 4_294_967_295, 'a whole number from 0 to 4294967295');
  if (seed !== undefined) simulation.seed = seed;
  const confidence = number(values.confidence, '--confidence', (n) => n >= 0.5 && n <= 0.999, 'a confidence from 0.5 to 0.999');
  if (confidence !== undefined) simulation.confidence = confidence;
  const instrumentVersion = number(values['instrument-version'], '--instrument-version', wholeFrom1, 'a whole version number from 1');
  const mappingId = number(values.mapping, '--mapping', wholeFrom1, 'an exposure mapping id');
  const horizon = number(values.horizon, '--horizon', (n) => Number.isInteger(n) && n >= 1 && n <= 60, 'a whole number of months from 1 to 60');

  const context = open(values.workbook);
  try {
    const request: RequestOf<'proposals:build'> = {
      forecastRunId: runId,
      policyId: await policyIdOf(context, values.policy),
      instrumentCode: values.instrument,
      ...(instrumentVersion !== undefined ? { instrumentVersion } : {}),
      ...(mappingId !== undefined ? { mappingId } : {}),
      ...(values['curve-date'] ? { curveDate: values['curve-date'] } : {}),
      ...(values.ratio ? { ratioMethod: values.ratio as 'policy' | 'minimum-variance' } : {}),
      ...(horizon !== undefined ? { horizon } : {}),
      simulation,
    };
    const proposal = values.save
      ? value(await context.call('proposals:save', { ...request, label: values.label, preparedBy: values['prepared-by']! }))
      : value(await context.call('proposals:build', request));
    process.stdout.write(format === 'json' ? JSON.stringify(proposal, null, 2) + '\n' : describeProposal(proposal, values.explain));
    if (proposal.proposalId !== null) process.stderr.write(`saved as proposal ${proposal.proposalId}\n`);
    return 0;
  } finally {
    context.close();
  }
}

async function proposals(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (!['list', 'show', 'compare', 'approve'].includes(action ?? '')) throw new UsageError(`unknown proposals action "${action ?? ''}" (list, show, compare, approve)`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      workbook: { type: 'string' },
      approver: { type: 'string' },
      note: { type: 'string', default: '' },
      explain: { type: 'boolean', default: false },
      format: { type: 'string', default: 'table' },
    },
    allowPositionals: action !== 'list',
    strict: true,
  });
  const format = checkFormat(values.format);
  const ids = positionals.map((p) => number(p, 'a proposal id', wholeFrom1, 'a whole number from 1')!);
  if ((action === 'show' || action === 'approve') && ids.length !== 1) throw new UsageError(`proposals ${action} needs one proposal id`);
  if (action === 'compare' && ids.length < 2) throw new UsageError('proposals compare needs two or more proposal ids');
  if (action === 'approve' && !values.approver?.trim()) throw new UsageError('proposals approve needs --approver NAME (not the preparer)');
  const context = open(values.workbook);
  try {
    if (action === 'list') {
      const list = value(await context.call('proposals:list', {}));
      if (format === 'json') process.stdout.write(JSON.stringify(list, null, 2) + '\n');
      else {
        process.stdout.write('proposal_id,created,prepared_by,status,approved_by,instrument,segment,forecast_run,policy,curve_date,ratio,contracts,car_unhedged,car_hedged,currency,label\n');
        for (const p of list) {
          process.stdout.write(
            [p.proposalId, new Date(p.createdAtMs).toISOString(), csv(p.preparedBy), p.status, csv(p.approvedBy ?? ''), `${p.instrumentCode} v${p.instrumentVersion}`, csv(segmentLabel(p.segment)), p.forecastRunId, csv(`${p.policyName} v${p.policyVersion}`), p.curveDate, p.ratioMethod, p.totalContracts, plain(p.carUnhedgedMicros), plain(p.carHedgedMicros), p.baseCurrency, csv(p.label)].join(',') + '\n',
          );
        }
      }
      return 0;
    }
    if (action === 'approve') {
      const result = value(await context.call('proposals:approve', { proposalId: ids[0]!, approverName: values.approver!, note: values.note }));
      if (format === 'json') process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else process.stdout.write(describeApproval(result.approval, result.relationships));
      return 0;
    }
    const loaded: Proposal[] = [];
    for (const proposalId of ids) loaded.push(value(await context.call('proposals:get', { proposalId })));
    if (format === 'json') process.stdout.write(JSON.stringify(action === 'show' ? loaded[0] : loaded, null, 2) + '\n');
    else process.stdout.write(action === 'show' ? describeProposal(loaded[0]!, values.explain) : compare(loaded));
    return 0;
  } finally {
    context.close();
  }
}

function open(workbook: string | undefined): AppContext {
  if (workbook && !existsSync(workbook)) throw new DomainError('not-found', `Workbook not found: ${workbook}`);
  return openWorkbookContext(workbook);
}

function checkFormat(format: string | undefined): 'table' | 'json' {
  if (format !== 'table' && format !== 'json') throw new UsageError('--format must be table or json');
  return format;
}

async function policyIdOf(context: AppContext, policy: string): Promise<number> {
  if (/^[0-9]+$/.test(policy)) return Number(policy);
  const found = value(await context.call('policies:list', {})).find((p) => p.policy.name === policy);
  if (!found) throw new DomainError('not-found', `No hedge policy named "${policy}" in this workbook (give its name or id)`);
  return found.policyId;
}

const TWO = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** Table cells: money and quantities with two decimals and grouping ("353,700.00"). */
const money = (micros: number) => TWO.format(micros / 1e6);
const quantity = (units: number) => TWO.format(units);
/** Monte Carlo estimates (and amounts in a summary) to the cent. */
const estimate = (micros: number, currency: string) => formatMoneyText(Math.round(micros / 10_000) * 10_000, currency);
/** CSV cells: no grouping. */
const plain = (micros: number) => (micros / 1e6).toFixed(2);
const csv = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const pad = (text: string, width: number) => text.padStart(width);

/** The proposal as a table: one line per contract month, totals, cost-at-risk, warnings; --explain adds the derivations. */
export function describeProposal(p: Proposal, explain: boolean): string {
  const { inputs } = p;
  const ccy = inputs.instrument.priceCurrency;
  const base = inputs.baseCurrency;
  const unit = inputs.instrument.quantityUnit;
  const out: string[] = [];
  out.push(
    `${p.proposalId === null ? 'Proposal (not saved)' : `Proposal #${p.proposalId} "${p.label}", prepared by ${p.preparedBy} (OS account ${p.preparedOsUser})`}` +
      ` — ${inputs.instrument.code} v${inputs.instrument.version}${inputs.instrument.status === 'hypothetical' ? ' (HYPOTHETICAL)' : ''} for ${segmentLabel(inputs.forecastRun.segment)}`,
  );
  out.push(
    `forecast run #${inputs.forecastRun.runId}, policy "${inputs.policy.policy.name}" v${inputs.policy.version} (${inputs.policy.policy.quantile.toUpperCase()} cap, rounding ${inputs.policy.policy.rounding}), ` +
      `mapping "${inputs.mapping.name}" (${inputs.mapping.contractUnitsPerToken} ${unit}/token), curve ${inputs.curveDate}, ratio ${inputs.ratioMethod}` +
      (inputs.fx ? `, FX 1 ${inputs.fx.pair.base} = ${inputs.fx.pair.rate} ${inputs.fx.pair.quote} (${inputs.fx.rateDate})` : ''),
  );
  if (p.regression.estimate) {
    const e = p.regression.estimate;
    out.push(`minimum-variance regression: h* ${e.hStar.toFixed(3)}, R² ${e.r2.toFixed(3)}, ${e.observations} changes (${p.regression.window})`);
  } else out.push(`minimum-variance regression: not available (${p.regression.reason ?? 'no data'})`);
  out.push('');
  out.push(
    ['month  ', pad(`P50 ${unit}`, 14), pad(`${inputs.policy.policy.quantile.toUpperCase()} ${unit}`, 14), pad('ratio', 7), pad('unrounded', 10), pad('contracts', 9), pad('effective', 9), pad(`price ${ccy}`, 10), pad(`notional ${ccy}`, 16), pad(`margin ${base}`, 14), pad(`unhedged ${base}`, 16), pad(`hedged ${base}`, 16)].join(' '),
  );
  for (const l of p.lines) {
    out.push(
      [
        l.month,
        pad(quantity(l.p50), 14),
        pad(quantity(l.hedgeable), 14),
        pad(formatRatioPercent(l.ratio), 7),
        pad(l.contractsUnrounded.toFixed(2), 10),
        pad(String(l.contracts), 9),
        pad(formatRatioPercent(Math.round(l.effectiveRatio * 1000) / 1000), 9),
        pad(money(l.priceMicros), 10),
        pad(money(l.notionalMicros), 16),
        pad(money(l.initialMarginBaseMicros), 14),
        pad(money(l.expectedCostUnhedgedMicros), 16),
        pad(money(l.expectedCostHedgedMicros), 16),
      ].join(' '),
    );
    if (explain) {
      for (const [key, text] of Object.entries(l.explanations)) out.push(`    ${key}: ${text}`);
      for (const w of l.warnings) out.push(`    warning: ${w}`);
    }
  }
  const t = p.totals;
  out.push(
    ['total  ', pad(quantity(t.p50Units), 14), pad('', 14), pad('', 7), pad('', 10), pad(String(t.contracts), 9), pad(formatRatioPercent(Math.round((t.p50Units ? t.hedgedUnits / t.p50Units : 0) * 1000) / 1000), 9), pad('', 10), pad(money(t.notionalMicros), 16), pad(money(t.initialMarginBaseMicros), 14), pad(money(t.expectedCostUnhedgedMicros), 16), pad(money(t.expectedCostHedgedMicros), 16)].join(' '),
  );
  const car = p.costAtRisk;
  const pct = Math.round(car.settings.confidence * 100);
  out.push('');
  out.push(`Cost-at-risk over ${p.lines.length} months (P${pct} − mean, ${base}; ${car.settings.paths} paths, seed ${car.settings.seed}, σ ${(car.settings.sigma * 100).toFixed(1)} %):`);
  out.push(`  unhedged: mean ${estimate(car.unhedged.meanMicros, base)}, P50 ${estimate(car.unhedged.p50Micros, base)}, P${pct} ${estimate(car.unhedged.percentileMicros, base)}, cost-at-risk ${estimate(car.unhedged.costAtRiskMicros, base)}`);
  out.push(`  hedged:   mean ${estimate(car.hedged.meanMicros, base)}, P50 ${estimate(car.hedged.p50Micros, base)}, P${pct} ${estimate(car.hedged.percentileMicros, base)}, cost-at-risk ${estimate(car.hedged.costAtRiskMicros, base)}`);
  out.push(`  the hedge takes ${estimate(car.reductionMicros, base)} off the cost-at-risk`);
  out.push(
    `  margin: initial ${estimate(car.marginCall.initialMarginMicros, base)}; variation margin peak mean ${estimate(car.marginCall.expectedPeakVariationMicros, base)}, P${pct} ${estimate(car.marginCall.percentilePeakVariationMicros, base)}; cash need at P${pct} ${estimate(car.marginCall.percentileCashNeedMicros, base)}`,
  );
  if (explain) for (const a of car.assumptions) out.push(`  assumes: ${a}`);
  if (p.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of p.warnings) out.push(`  - ${w}`);
  }
  if (p.approval) out.push('', describeApproval(p.approval, p.relationships).trimEnd());
  else if (p.proposalId !== null) out.push('', 'Not approved yet.');
  return out.join('\n') + '\n';
}

function describeApproval(approval: ResponseOf<'proposals:approve'>['approval'], relationships: ResponseOf<'proposals:approve'>['relationships']): string {
  const out = [
    `Approved by ${approval.approvedBy} (OS account ${approval.approvedOsUser}) on ${new Date(approval.approvedAtMs).toISOString()}; prepared by ${approval.preparedBy} (OS account ${approval.preparedOsUser}).` +
      (approval.sameOsUser ? ' Both used the same OS account: the names are a control record, not authentication.' : ''),
  ];
  if (approval.note) out.push(`Note: ${approval.note}`);
  out.push(`${relationships.length} hedge relationships designated (cash-flow hedges), each with a pending trade:`);
  out.push('relationship  month    contracts  hedged tokens        ratio  trade');
  for (const r of relationships) {
    const trade = r.trades.map((t) => `#${t.tradeId} ${t.side} ${t.quantityContracts > 0 ? '+' : ''}${t.quantityContracts} ${t.status}`).join('; ');
    out.push(`${pad(`#${r.relationshipId}`, 12)}  ${r.contractMonth}  ${pad(String(r.contracts), 9)}  ${pad(formatQuantity(r.hedgedTokens), 19)}  ${pad(r.hedgeRatio.toFixed(3), 5)}  ${trade}`);
  }
  return out.join('\n') + '\n';
}

/** Several proposals side by side: one column each. */
function compare(list: Proposal[]): string {
  const rows: [string, (p: Proposal) => string][] = [
    ['label', (p) => p.label],
    ['status', (p) => (p.approval ? `approved by ${p.approval.approvedBy}` : 'saved')],
    ['instrument', (p) => `${p.inputs.instrument.code} v${p.inputs.instrument.version}`],
    ['segment', (p) => segmentLabel(p.inputs.forecastRun.segment)],
    ['forecast run', (p) => `#${p.inputs.forecastRun.runId}`],
    ['policy', (p) => `${p.inputs.policy.policy.name} v${p.inputs.policy.version}`],
    ['curve date', (p) => p.inputs.curveDate],
    ['ratio method', (p) => p.inputs.ratioMethod],
    ['contracts', (p) => String(p.totals.contracts)],
    ['coverage of P50', (p) => formatRatioPercent(Math.round((p.totals.p50Units ? p.totals.hedgedUnits / p.totals.p50Units : 0) * 1000) / 1000)],
    ['notional', (p) => estimate(p.totals.notionalMicros, p.inputs.instrument.priceCurrency)],
    ['initial margin', (p) => estimate(p.totals.initialMarginBaseMicros, p.inputs.baseCurrency)],
    ['expected cost hedged', (p) => estimate(p.totals.expectedCostHedgedMicros, p.inputs.baseCurrency)],
    ['cost-at-risk unhedged', (p) => estimate(p.costAtRisk.unhedged.costAtRiskMicros, p.inputs.baseCurrency)],
    ['cost-at-risk hedged', (p) => estimate(p.costAtRisk.hedged.costAtRiskMicros, p.inputs.baseCurrency)],
    ['P95 cash need', (p) => estimate(p.costAtRisk.marginCall.percentileCashNeedMicros, p.inputs.baseCurrency)],
  ];
  const months = [...new Set(list.flatMap((p) => p.lines.map((l) => l.month)))].sort();
  for (const month of months) rows.push([`contracts ${month}`, (p) => String(p.lines.find((l) => l.month === month)?.contracts ?? '—')]);
  const header = ['', ...list.map((p) => `#${p.proposalId}`)];
  const table = [header, ...rows.map(([name, get]) => [name, ...list.map(get)])];
  const widths = header.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  return table.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n') + '\n';
}
