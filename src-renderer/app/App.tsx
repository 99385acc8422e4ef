import { useCallback, useEffect, useRef, useState } from 'react';
import type { ResponseOf } from '../../src-main/common/api/contract.ts';
import { call } from '../api/client.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { ComingPage } from '../pages/ComingPage.tsx';
import { DashboardPage } from '../pages/DashboardPage.tsx';
import { HedgesPage } from '../pages/HedgesPage.tsx';
import { ForecastPage } from '../pages/ForecastPage.tsx';
import { ImportPage } from '../pages/ImportPage.tsx';
import { MarketDataPage } from '../pages/MarketDataPage.tsx';
import { ReportsPage } from '../pages/ReportsPage.tsx';
import { SettingsPage } from '../pages/SettingsPage.tsx';
import { PAGES, pageFromHash, type PageId } from './pages.ts';

export type AppInfo = ResponseOf<'app:info'>;

/** The shell: navigation, the workbook's name, and the current page. */
export function App() {
  const [page, setPage] = useState<PageId>(() => pageFromHash(window.location.hash));
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Bumped when the workbook's data changes (an import, the demo), so pages fetch again.
  const [dataVersion, setDataVersion] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);

  const refreshInfo = useCallback(() => {
    call('app:info', {}).then(setInfo).catch(setError);
  }, []);
  const dataChanged = useCallback(() => {
    setDataVersion((v) => v + 1);
    refreshInfo();
  }, [refreshInfo]);

  useEffect(refreshInfo, [refreshInfo]);

  useEffect(() => {
    const onHash = () => setPage(pageFromHash(window.location.hash));
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const index = Number(event.key) - 1;
      const target = PAGES[index];
      if (target) {
        event.preventDefault();
        window.location.hash = `#/${target.id}`;
      }
    };
    window.addEventListener('hashchange', onHash);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  // Move focus to the page heading on navigation, so keyboard and screen-reader users land on the new page.
  useEffect(() => heading.current?.focus(), [page]);

  const current = PAGES.find((p) => p.id === page)!;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">◆</span> TokenHedge
        </div>
        <ul>
          {PAGES.map((p, i) => (
            <li key={p.id}>
              <a href={`#/${p.id}`} aria-current={p.id === page ? 'page' : undefined} title={`Alt+${i + 1}`}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
        {info && (
          <div className="sidebar-footer" title={info.workbookPath}>
            <div className="org" data-testid="organisation">{info.organisationName}</div>
            <div className="muted">Base currency {info.baseCurrency}</div>
            <div className="muted small">{info.mode === 'serve' ? 'Serve mode (browser)' : 'Desktop'} · v{info.version}</div>
          </div>
        )}
      </nav>
      <main id="main" className="content">
        <h1 ref={heading} tabIndex={-1}>{current.label}</h1>
        <ErrorBanner error={error} />
        {info && page === 'dashboard' && <DashboardPage info={info} dataVersion={dataVersion} onDataChanged={dataChanged} />}
        {info && page === 'import' && <ImportPage info={info} dataVersion={dataVersion} onDataChanged={dataChanged} />}
        {info && page === 'forecast' && <ForecastPage info={info} dataVersion={dataVersion} onDataChanged={dataChanged} />}
        {info && page === 'market-data' && <MarketDataPage dataVersion={dataVersion} />}
        {info && page === 'hedges' && <HedgesPage info={info} dataVersion={dataVersion} />}
        {info && page === 'reports' && <ReportsPage info={info} dataVersion={dataVersion} />}
        {info && page === 'settings' && <SettingsPage info={info} onSaved={dataChanged} />}
      </main>
    </div>
  );
}
