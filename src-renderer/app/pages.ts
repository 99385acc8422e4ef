/** The sections of the app, in navigation order. Alt+1 … Alt+7 jump to them. */
export const PAGES = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'import', label: 'Import' },
  { id: 'forecast', label: 'Forecast' },
  { id: 'market-data', label: 'Market data' },
  { id: 'hedges', label: 'Hedges' },
  { id: 'reports', label: 'Reports' },
  { id: 'settings', label: 'Settings' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

export function pageFromHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '');
  return (PAGES.find((p) => p.id === id)?.id ?? 'dashboard') as PageId;
}
