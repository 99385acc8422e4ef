import { useState } from 'react';
import type { AppInfo } from '../app/App.tsx';
import { HedgeBook } from './hedges/HedgeBook.tsx';
import { PolicyEditor } from './hedges/PolicyEditor.tsx';
import { ProposalBuilder } from './hedges/ProposalBuilder.tsx';
import { SavedProposals } from './hedges/SavedProposals.tsx';

/**
 * Hedges: the hedge policy; proposals built from a saved forecast under it (every number explained, coverage
 * against the band, cost-at-risk with and without the hedge); saved proposals compared and approved by a
 * second person; the hedge relationships and pending trades approval designates.
 */
export function HedgesPage({ info, dataVersion }: { info: AppInfo; dataVersion: number }) {
  // Bumped when a proposal is saved or approved, so the lists below fetch again.
  const [version, setVersion] = useState(0);
  const [openId, setOpenId] = useState<number | null>(null);
  const bump = () => setVersion((v) => v + 1);
  return (
    <div className="hedges">
      <PolicyEditor baseCurrency={info.baseCurrency} dataVersion={dataVersion} />
      <ProposalBuilder
        dataVersion={dataVersion}
        onSaved={(id) => {
          setOpenId(id);
          bump();
        }}
      />
      <SavedProposals dataVersion={dataVersion + version} openId={openId} onOpen={setOpenId} onApproved={bump} />
      <HedgeBook dataVersion={dataVersion + version} />
    </div>
  );
}
